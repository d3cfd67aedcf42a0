// What happened to the order, newest first: placed, routed, each change on Shopify, approvals and notes.
import { BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import type { TimelineEvent } from "../../services/order-detail.server";
import { useTranslation } from "react-i18next";
import { renderWords } from "../../i18n/words";
import { useFormat } from "./format";

const DOT: Record<string, string> = {
  success: "var(--p-color-bg-fill-success)",
  critical: "var(--p-color-bg-fill-critical)",
  info: "var(--p-color-bg-fill-info)",
};

export function Timeline({ events }: { events: TimelineEvent[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("order.timeline.title")}
        </Text>
        <ol
          style={{ listStyle: "none", margin: 0, padding: 0 }}
          aria-label={t("order.timeline.label")}
        >
          {events.map((e, i) => (
            <li key={i} style={{ paddingBlock: "var(--p-space-150)" }}>
              <InlineStack gap="200" wrap={false} blockAlign="start">
                <span
                  aria-hidden
                  style={{
                    flex: "none",
                    width: 8,
                    height: 8,
                    marginTop: 6,
                    borderRadius: 4,
                    background: e.tone ? DOT[e.tone] : "var(--p-color-bg-fill-disabled)",
                  }}
                />
                <BlockStack gap="025">
                  <Text as="p" tone={e.tone === "critical" ? "critical" : undefined} breakWord>
                    {renderWords(t, e.text)}
                  </Text>
                  <Text as="p" variant="bodySm" tone="subdued">
                    {format.dateTime(e.at)}
                  </Text>
                </BlockStack>
              </InlineStack>
            </li>
          ))}
        </ol>
      </BlockStack>
    </Card>
  );
}
