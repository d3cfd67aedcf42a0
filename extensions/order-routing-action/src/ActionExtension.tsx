// The action in Shopify admin's order list: approve, hold with a reason, release or route again the
// selected orders as one Fulfilment Router bulk job, then its progress and a link to its report.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { appFetch, failedText, refusalMessage } from "../../shared/app-api";

type IndexAction = "approve" | "hold" | "release" | "reroute";
const ACTIONS: IndexAction[] = ["approve", "hold", "release", "reroute"];
const REASONS = [
  "HIGH_RISK_OF_FRAUD",
  "INCORRECT_ADDRESS",
  "INVENTORY_OUT_OF_STOCK",
  "AWAITING_PAYMENT",
  "UNKNOWN_DELIVERY_DATE",
  "OTHER",
] as const;
const POLL_MS = 1000;

/** What the app's /api/extensions/bulk/:id answers. */
interface BulkProgress {
  status: string;
  total: number;
  succeeded: number;
  failed: number;
  reportPath: string;
}

export default async () => {
  render(<OrderRoutingAction />, document.body);
};

function OrderRoutingAction() {
  const t = shopify.i18n.translate;
  const orderIds = shopify.data.selected.map((s) => s.id);
  const [action, setAction] = useState<IndexAction>("approve");
  const [reason, setReason] = useState<string>(REASONS[0]);
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [progress, setProgress] = useState<BulkProgress | null>(null);

  // Poll the job until it finishes (a failed poll is tried again); the report stays in the app.
  const [polls, setPolls] = useState(0);
  useEffect(() => {
    if (!jobId || progress?.status === "finished") return;
    const timer = setTimeout(
      async () => {
        const answer = await appFetch<BulkProgress>(shopify, `/api/extensions/bulk/${jobId}`);
        if (answer.ok) setProgress(answer.data);
        setPolls((n) => n + 1);
      },
      polls === 0 ? 0 : POLL_MS,
    );
    return () => clearTimeout(timer);
  }, [jobId, progress, polls]);

  const start = async () => {
    setStarting(true);
    setError(null);
    try {
      const answer = await appFetch<{ id: string }>(shopify, "/api/extensions/bulk", {
        method: "POST",
        body: { action, orderIds, ...(action === "hold" ? { reason, note } : {}) },
      });
      if (!answer.ok) {
        setError(refusalMessage(answer.data, failedText(t, answer.status)));
        return;
      }
      setJobId(answer.data.id);
    } finally {
      setStarting(false);
    }
  };

  const done = progress ? progress.succeeded + progress.failed : 0;
  return (
    <s-admin-action heading={t("heading")}>
      <s-stack direction="block" gap="base">
        <s-text>{t("selected", { count: orderIds.length })}</s-text>
        {error && <s-banner tone="critical">{error}</s-banner>}
        {!jobId && (
          <s-select
            label={t("actionLabel")}
            value={action}
            onChange={(e) => setAction(e.currentTarget.value as IndexAction)}
          >
            {ACTIONS.map((a) => (
              <s-option key={a} value={a}>
                {t(a)}
              </s-option>
            ))}
          </s-select>
        )}
        {!jobId && action === "reroute" && <s-text>{t("rerouteNote")}</s-text>}
        {!jobId && action === "hold" && (
          <s-select
            label={t("reasonLabel")}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
          >
            {REASONS.map((r) => (
              <s-option key={r} value={r}>
                {t(`reasons.${r}`)}
              </s-option>
            ))}
          </s-select>
        )}
        {!jobId && action === "hold" && (
          <s-text-field
            label={t("noteLabel")}
            value={note}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
        )}
        {jobId && (
          <s-stack direction="block" gap="small-200">
            <s-progress
              max={progress?.total ?? 1}
              value={done}
              accessibilityLabel={t("progress", {
                done,
                total: progress?.total ?? 0,
                failed: progress?.failed ?? 0,
              })}
            />
            <s-text>
              {progress?.status === "finished"
                ? t("finished", { succeeded: progress.succeeded, failed: progress.failed })
                : t("progress", {
                    done,
                    total: progress?.total ?? 0,
                    failed: progress?.failed ?? 0,
                  })}
            </s-text>
            <s-link href={`app:/app/bulk/${jobId}`}>{t("report")}</s-link>
          </s-stack>
        )}
      </s-stack>
      {!jobId && (
        <s-button
          slot="primary-action"
          variant="primary"
          loading={starting}
          onClick={() => void start()}
        >
          {t("start")}
        </s-button>
      )}
      <s-button slot="secondary-actions" onClick={() => shopify.close()}>
        {t("close")}
      </s-button>
    </s-admin-action>
  );
}
