// What a dry-run found: per recent order, what the saved rules do and what the edited rules would do.
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  InlineGrid,
  InlineStack,
  List,
  Text,
} from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { renderWords } from "../../i18n/words";
import type { DryRunReport, PlanPicture } from "../../services/dry-run.server";

function PlanColumn({ heading, plan }: { heading: string; plan: PlanPicture }) {
  const { t } = useTranslation();
  return (
    <BlockStack gap="200">
      <Text as="h4" variant="headingSm">
        {heading}
      </Text>
      {plan.fulfillmentOrders.length > 0 ? (
        <List type="bullet">
          {plan.fulfillmentOrders.map((fo, i) => (
            <List.Item key={i}>
              {fo.rules.length > 0
                ? t("rules.dryRun.byRules", {
                    location: fo.locationName,
                    outcome: t(`outcome.${fo.outcome}`),
                    rules: fo.rules.join(", "),
                  })
                : t("rules.dryRun.bySettings", {
                    location: fo.locationName,
                    outcome: t(`outcome.${fo.outcome}`),
                  })}
            </List.Item>
          ))}
        </List>
      ) : null}
      {plan.steps.length === 0 ? (
        <Text as="p" tone="subdued">
          {t("rules.dryRun.noShopifyChanges")}
        </Text>
      ) : (
        <List type="number">
          {plan.steps.map((step, i) => (
            <List.Item key={i}>{renderWords(t, step.summary)}</List.Item>
          ))}
        </List>
      )}
      {plan.shopifyRefuses.map((message, i) => (
        <Text as="p" tone="caution" key={`shopify-${i}`}>
          {renderWords(t, message)}
        </Text>
      ))}
      {plan.needsAttention.map((message, i) => (
        <Text as="p" tone="critical" key={i}>
          {t("rules.dryRun.needsAttention", { reason: renderWords(t, message) })}
        </Text>
      ))}
    </BlockStack>
  );
}

export function DryRunResults({ report }: { report: DryRunReport }) {
  const { t } = useTranslation();
  const changed = report.orders.filter((order) => order.changed);
  const unchanged = report.orders.filter((order) => !order.changed);
  return (
    <BlockStack gap="400">
      <div role="status">
        <Text as="p" variant="headingSm">
          {report.orders.length === 0 && report.unread.length === 0
            ? t("rules.dryRun.noOrders")
            : t("rules.dryRun.changed", {
                changed: changed.length,
                count: report.orders.length,
              })}
        </Text>
      </div>
      {report.stockReadNow ? (
        <Text as="p" tone="subdued">
          {t("rules.dryRun.stockReadNow")}
        </Text>
      ) : null}
      {report.shopifyAskedNow ? (
        <Text as="p" tone="subdued">
          {t("rules.dryRun.shopifyAskedNow")}
        </Text>
      ) : null}
      {report.unread.length > 0 ? (
        <Banner tone="warning" title={t("rules.dryRun.unread", { count: report.unread.length })}>
          <List type="bullet">
            {report.unread.map((order) => (
              <List.Item key={order.orderId}>
                {order.orderName ?? order.orderId}: {renderWords(t, order.reason)}
              </List.Item>
            ))}
          </List>
        </Banner>
      ) : null}
      {changed.map((order) => (
        <Box
          key={order.orderId}
          padding="300"
          borderWidth="025"
          borderColor="border"
          borderRadius="200"
        >
          <section aria-label={t("rules.dryRun.order", { name: order.orderName })}>
            <BlockStack gap="300">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h3" variant="headingMd">
                  {order.orderName}
                </Text>
                <Badge tone="attention">{t("rules.dryRun.wouldChange")}</Badge>
              </InlineStack>
              <List type="bullet">
                {order.changes.map((line, i) => (
                  <List.Item key={i}>{renderWords(t, line)}</List.Item>
                ))}
              </List>
              <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
                <PlanColumn heading={t("rules.dryRun.withSaved")} plan={order.current} />
                <PlanColumn heading={t("rules.dryRun.withChange")} plan={order.proposed} />
              </InlineGrid>
            </BlockStack>
          </section>
        </Box>
      ))}
      {unchanged.length > 0 ? (
        <Text as="p" tone="subdued">
          {t("rules.dryRun.noChangeFor", {
            orders: unchanged.map((order) => order.orderName).join(", "),
          })}
        </Text>
      ) : null}
    </BlockStack>
  );
}
