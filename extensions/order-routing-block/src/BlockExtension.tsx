// The block on Shopify admin's order page: how Fulfilment Router routed the order in one line, its
// holds with reasons, each fulfillment service's request status, warnings (stuck requests and drift
// among them), the next action the state allows (repair, approve, release, route again) and a link
// to the app's order page.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { appFetch, failedText, gidTail, refusalMessage } from "../../shared/app-api";

/** What the app's /api/extensions/orders/:number answers (app/services/extension-api.server.ts). */
interface OrderBlock {
  name: string;
  /** `triggerText`: what started the decision, in the app catalogue's words (which webhook…). */
  decision: { trigger: string; triggerText: string; status: string; text: string } | null;
  holds: { location: string; reason: string; notes: string | null; ours: boolean }[];
  requests: { service: string; location: string; status: string }[];
  warnings: {
    kind: "unreachable" | "needs_attention" | "stuck" | "drift";
    location: string | null;
    text: string;
    advice: string | null;
  }[];
  /** `confirm`: what the merchant is asked before the action runs (Route again on repaired work). */
  actions: { action: "repair" | "approve" | "release" | "reroute"; confirm: string | null }[];
  appPath: string;
}

/** The answer to a button: the command's result, the new state, a repair's report page. */
interface CommandAnswer {
  ok: boolean;
  message: string;
  block: OrderBlock | null;
  reportPath: string | null;
}

/** A word from the locale file, or the code itself when the file has none (a new Shopify value). */
function word(key: string, code: string): string {
  const found = shopify.i18n.translate(key);
  return found === key ? code : found;
}

export default async () => {
  render(<OrderRoutingBlock />, document.body);
};

function OrderRoutingBlock() {
  const t = shopify.i18n.translate;
  const orderId = shopify.data.selected[0]?.id ?? "";
  const path = `/api/extensions/orders/${gidTail(orderId)}`;
  const [block, setBlock] = useState<OrderBlock | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState<string | null>(null);
  // The action waiting for the merchant's confirmation, with the app's words for what it undoes.
  const [asking, setAsking] = useState<OrderBlock["actions"][number] | null>(null);
  // The block API of 2026-10 has no toast (only app home has one): the answer shows in the block.
  const [result, setResult] = useState<{
    ok: boolean;
    message: string;
    reportPath: string | null;
  } | null>(null);

  useEffect(() => {
    appFetch<OrderBlock>(shopify, path).then((answer) =>
      answer.ok
        ? setBlock(answer.data)
        : setError(refusalMessage(answer.data, failedText(t, answer.status))),
    );
  }, [path, t]);

  const run = async (action: OrderBlock["actions"][number]["action"]) => {
    setAsking(null);
    setRunning(action);
    try {
      const answer = await appFetch<CommandAnswer>(shopify, path, {
        method: "POST",
        body: { action },
      });
      if (answer.ok && answer.data.block) setBlock(answer.data.block);
      const reportPath = answer.ok ? answer.data.reportPath : null;
      const message = !answer.ok
        ? refusalMessage(answer.data, failedText(t, answer.status))
        : reportPath
          ? t("repairStarted")
          : answer.data.message || t("done");
      setResult({ ok: answer.ok && answer.data.ok, message, reportPath });
    } finally {
      setRunning(null);
    }
  };

  if (error)
    return (
      <s-admin-block heading={t("heading")}>
        <s-banner tone="critical">{error}</s-banner>
      </s-admin-block>
    );
  if (!block)
    return (
      <s-admin-block heading={t("heading")}>
        <s-text>{t("loading")}</s-text>
      </s-admin-block>
    );

  const decision = block.decision
    ? t("decisionLine", {
        trigger: block.decision.triggerText,
        text: block.decision.text,
      })
    : t("notRouted");
  return (
    <s-admin-block heading={t("heading")} collapsedSummary={decision}>
      <s-stack direction="block" gap="base">
        <s-text type="strong">{decision}</s-text>
        {result && (
          <s-banner tone={result.ok ? "success" : "critical"} dismissible>
            {result.message}
            {result.reportPath && (
              <s-link href={`app:${result.reportPath}`}> {t("openReport")}</s-link>
            )}
          </s-banner>
        )}
        {block.warnings.length > 0 && (
          <s-banner tone="warning" heading={t("warningHeading")}>
            {block.warnings.map((w, i) => (
              <s-paragraph key={i}>
                {t(`warning.${w.kind}`, { location: w.location ?? "", text: w.text })}
                {w.advice ? ` ${w.advice}` : ""}
              </s-paragraph>
            ))}
          </s-banner>
        )}
        {block.holds.length > 0 && (
          <s-stack direction="block" gap="small-200">
            <s-heading>{t("holdsHeading")}</s-heading>
            {block.holds.map((h, i) => (
              <s-text key={i}>
                {t("holdLine", {
                  location: h.location,
                  reason: h.notes
                    ? `${word(`holdReason.${h.reason}`, h.reason)}: ${h.notes}`
                    : word(`holdReason.${h.reason}`, h.reason),
                })}
                {h.ours ? "" : ` ${t("heldByOthers")}`}
              </s-text>
            ))}
          </s-stack>
        )}
        {block.requests.length > 0 && (
          <s-stack direction="block" gap="small-200">
            <s-heading>{t("requestsHeading")}</s-heading>
            {block.requests.map((r, i) => (
              <s-text key={i}>
                {t("requestLine", {
                  service: r.service,
                  location: r.location,
                  status: word(`requestStatus.${r.status}`, r.status),
                })}
              </s-text>
            ))}
          </s-stack>
        )}
        {asking?.confirm && (
          <s-banner tone="warning">
            <s-stack direction="block" gap="small-200">
              <s-paragraph>{asking.confirm}</s-paragraph>
              <s-stack direction="inline" gap="base">
                <s-button variant="primary" onClick={() => void run(asking.action)}>
                  {t(asking.action)}
                </s-button>
                <s-button variant="secondary" onClick={() => setAsking(null)}>
                  {t("keep")}
                </s-button>
              </s-stack>
            </s-stack>
          </s-banner>
        )}
        <s-stack direction="inline" gap="base">
          {block.actions.map((a, i) => (
            <s-button
              key={a.action}
              variant={i === 0 ? "primary" : "secondary"}
              loading={running === a.action}
              disabled={(running !== null && running !== a.action) || asking !== null}
              onClick={() => (a.confirm ? setAsking(a) : void run(a.action))}
            >
              {t(a.action)}
            </s-button>
          ))}
        </s-stack>
        <s-link href={`app:${block.appPath}`}>{t("openInApp")}</s-link>
      </s-stack>
    </s-admin-block>
  );
}
