// Why the order stands where it does: each decision, what the rules said, and every Step with its outcome on Shopify.
import { Badge, BlockStack, Card, InlineStack, List, Text } from "@shopify/polaris";
import type { DetailDecision } from "../../services/order-detail.server";
import { formatDateTime } from "./format";

const TRIGGERS: Record<string, string> = {
  webhook: "When the order was paid",
  reconciliation: "Reconciliation (a missed webhook)",
  timer: "When a timed hold ended",
  merchant: "Your action",
  bulk: "Bulk action",
  repair: "Repair",
};

const DECISION_BADGES: Record<string, { tone?: "success" | "critical" | "info"; label: string }> = {
  applied: { tone: "success", label: "Applied" },
  needs_attention: { tone: "critical", label: "Needs attention" },
  applying: { tone: "info", label: "Applying" },
  planned: { tone: "info", label: "Planned" },
  dry_run: { label: "Dry run" },
};

const STEP_BADGES: Record<string, { tone?: "success" | "critical" | "info"; label: string }> = {
  succeeded: { tone: "success", label: "Done" },
  failed: { tone: "critical", label: "Failed" },
  pending: { tone: "info", label: "Pending" },
  skipped: { label: "Skipped" },
};

export function DecisionTrace({ decisions }: { decisions: DetailDecision[] }) {
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Decision trace
        </Text>
        {decisions.length === 0 ? (
          <Text as="p" tone="subdued">
            The app has not decided on this order yet.
          </Text>
        ) : null}
        {decisions.map((d) => {
          const badge = DECISION_BADGES[d.status] ?? { label: d.status };
          return (
            <BlockStack gap="200" key={d.id}>
              <InlineStack align="space-between" blockAlign="center" gap="200">
                <Text as="h3" variant="headingSm">
                  {TRIGGERS[d.trigger] ?? d.trigger}
                </Text>
                <InlineStack gap="200" blockAlign="center">
                  <Text as="span" tone="subdued" variant="bodySm">
                    {formatDateTime(d.createdAt)}
                  </Text>
                  <Badge tone={badge.tone}>{badge.label}</Badge>
                </InlineStack>
              </InlineStack>
              {d.explanation.length > 0 ? (
                <List>
                  {d.explanation.map((line, i) => (
                    <List.Item key={i}>{line}</List.Item>
                  ))}
                </List>
              ) : null}
              {d.steps.length > 0 ? (
                <BlockStack gap="100">
                  {d.steps.map((s) => {
                    const sb = STEP_BADGES[s.status] ?? { label: s.status };
                    return (
                      <BlockStack gap="050" key={s.id}>
                        <InlineStack gap="200" blockAlign="center" wrap={false}>
                          <Badge tone={sb.tone}>{sb.label}</Badge>
                          <Text as="span">{s.summary}</Text>
                        </InlineStack>
                        <Text as="p" tone="subdued" variant="bodySm">
                          {[
                            s.ruleName ? `Rule: ${s.ruleName}` : null,
                            s.why,
                            s.attempts > 1 ? `${s.attempts} attempts` : null,
                          ]
                            .filter(Boolean)
                            .join(" · ")}
                        </Text>
                        {s.error ? (
                          <Text as="p" tone="critical" variant="bodySm" breakWord>
                            {s.error}
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
