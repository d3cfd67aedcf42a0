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
import type { DryRunReport, PlanPicture } from "../../services/dry-run.server";
import { OUTCOME_LABELS } from "./labels";

function PlanColumn({ heading, plan }: { heading: string; plan: PlanPicture }) {
  return (
    <BlockStack gap="200">
      <Text as="h4" variant="headingSm">
        {heading}
      </Text>
      {plan.fulfillmentOrders.length > 0 ? (
        <List type="bullet">
          {plan.fulfillmentOrders.map((fo, i) => (
            <List.Item key={i}>
              {fo.locationName}: {OUTCOME_LABELS[fo.outcome]}
              {fo.rules.length > 0 ? ` (${fo.rules.join(", ")})` : " (Settings)"}
            </List.Item>
          ))}
        </List>
      ) : null}
      {plan.steps.length === 0 ? (
        <Text as="p" tone="subdued">
          No changes to Shopify
        </Text>
      ) : (
        <List type="number">
          {plan.steps.map((step, i) => (
            <List.Item key={i}>{step.summary}</List.Item>
          ))}
        </List>
      )}
      {plan.needsAttention.map((message, i) => (
        <Text as="p" tone="critical" key={i}>
          Needs attention: {message}
        </Text>
      ))}
    </BlockStack>
  );
}

export function DryRunResults({ report }: { report: DryRunReport }) {
  const changed = report.orders.filter((order) => order.changed);
  const unchanged = report.orders.filter((order) => !order.changed);
  return (
    <BlockStack gap="400">
      <div role="status">
        <Text as="p" variant="headingSm">
          {report.orders.length === 0 && report.unread.length === 0
            ? "No decided orders yet: there is nothing to try the rules on."
            : `${changed.length} of ${report.orders.length} recent orders would be handled differently.`}
        </Text>
      </div>
      {report.unread.length > 0 ? (
        <Banner
          tone="warning"
          title={`${report.unread.length} orders could not be read from Shopify`}
        >
          <List type="bullet">
            {report.unread.map((order) => (
              <List.Item key={order.orderId}>
                {order.orderName ?? order.orderId}: {order.reason}
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
          <section aria-label={`Order ${order.orderName}`}>
            <BlockStack gap="300">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h3" variant="headingMd">
                  {order.orderName}
                </Text>
                <Badge tone="attention">Would change</Badge>
              </InlineStack>
              <List type="bullet">
                {order.changes.map((line, i) => (
                  <List.Item key={i}>{line}</List.Item>
                ))}
              </List>
              <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
                <PlanColumn heading="With the saved rules" plan={order.current} />
                <PlanColumn heading="With this change" plan={order.proposed} />
              </InlineGrid>
            </BlockStack>
          </section>
        </Box>
      ))}
      {unchanged.length > 0 ? (
        <Text as="p" tone="subdued">
          No change for {unchanged.map((order) => order.orderName).join(", ")}.
        </Text>
      ) : null}
    </BlockStack>
  );
}
