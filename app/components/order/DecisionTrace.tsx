// Why the order stands where it does: each decision, what the rules said, and every Step with its outcome on Shopify.
import { Badge, BlockStack, Card, InlineStack, List, Text } from "@shopify/polaris";
import { renderWords } from "../../i18n/words";
import { triggerWords } from "../../routing/words";
import type { DetailDecision } from "../../services/order-detail.server";
import { useTranslation } from "react-i18next";
import { useFormat } from "./format";

type Tone = "success" | "critical" | "info" | undefined;
const DECISION_TONES = {
  applied: "success",
  needs_attention: "critical",
  applying: "info",
  planned: "info",
  dry_run: undefined,
} as const satisfies Record<string, Tone>;
const STEP_TONES = {
  succeeded: "success",
  failed: "critical",
  pending: "info",
  skipped: undefined,
} as const satisfies Record<string, Tone>;

const isKey = <T extends object>(map: T, key: string): key is Extract<keyof T, string> =>
  Object.hasOwn(map, key);

export function DecisionTrace({ decisions }: { decisions: DetailDecision[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const decisionBadge = (status: string) =>
    isKey(DECISION_TONES, status)
      ? { tone: DECISION_TONES[status] as Tone, label: t(`order.trace.decision.${status}`) }
      : { tone: undefined, label: status };
  const stepBadge = (status: string) =>
    isKey(STEP_TONES, status)
      ? { tone: STEP_TONES[status] as Tone, label: t(`order.trace.step.${status}`) }
      : { tone: undefined, label: status };
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t("order.trace.title")}
        </Text>
        {decisions.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("order.trace.none")}
          </Text>
        ) : null}
        {decisions.map((d) => {
          const badge = decisionBadge(d.status);
          return (
            <BlockStack gap="200" key={d.id}>
              <InlineStack align="space-between" blockAlign="center" gap="200">
                <Text as="h3" variant="headingSm">
                  {renderWords(t, triggerWords(d.trigger, d.cause))}
                </Text>
                <InlineStack gap="200" blockAlign="center">
                  <Text as="span" tone="subdued" variant="bodySm">
                    {format.dateTime(d.createdAt)}
                  </Text>
                  <Badge tone={badge.tone}>{badge.label}</Badge>
                </InlineStack>
              </InlineStack>
              {d.explanation.length > 0 ? (
                <List>
                  {d.explanation.map((line, i) => (
                    <List.Item key={i}>{renderWords(t, line)}</List.Item>
                  ))}
                </List>
              ) : null}
              {d.steps.length > 0 ? (
                <BlockStack gap="100">
                  {d.steps.map((s) => {
                    const sb = stepBadge(s.status);
                    return (
                      <BlockStack gap="050" key={s.id}>
                        <InlineStack gap="200" blockAlign="center" wrap={false}>
                          <Badge tone={sb.tone}>{sb.label}</Badge>
                          <Text as="span">{renderWords(t, s.summary)}</Text>
                        </InlineStack>
                        <Text as="p" tone="subdued" variant="bodySm">
                          {[
                            s.ruleName ? t("order.trace.rule", { rule: s.ruleName }) : null,
                            s.why ? renderWords(t, s.why) : null,
                            s.attempts > 1
                              ? t("order.trace.attempts", { count: s.attempts })
                              : null,
                          ]
                            .filter(Boolean)
                            .join(" · ")}
                        </Text>
                        {s.error ? (
                          <Text as="p" tone="critical" variant="bodySm" breakWord>
                            {renderWords(t, s.error)}
                          </Text>
                        ) : null}
                      </BlockStack>
                    );
                  })}
                </BlockStack>
              ) : null}
            </BlockStack>
          );
        })}
      </BlockStack>
    </Card>
  );
}
