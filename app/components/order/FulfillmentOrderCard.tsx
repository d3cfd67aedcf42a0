// One fulfillment order on the order detail: where it is, its holds, its lines with the
// customer's options and properties, and the actions Shopify's state allows on it.
import {
  Badge,
  BlockStack,
  Box,
  Button,
  ButtonGroup,
  Card,
  Divider,
  InlineStack,
  Text,
} from "@shopify/polaris";
import type { DetailFulfillmentOrder } from "../../services/order-detail.server";
import { OutcomeBadge } from "../queue/OutcomeBadge";
import { shopifyWords } from "./format";

export type FulfillmentOrderCommand = "approve" | "hold" | "release" | "fulfil";

export interface FulfillmentOrderCardProps {
  fo: DetailFulfillmentOrder;
  /** The action now running on this fulfillment order, if any. */
  busy: FulfillmentOrderCommand | null;
  disabled: boolean;
  onCommand(action: FulfillmentOrderCommand): void;
}

const HOLD_BY: Record<NonNullable<DetailFulfillmentOrder["holds"][number]["placedBy"]>, string> = {
  review: "Review (this app)",
  rule: "Rule (this app)",
  stock: "Waiting for stock (this app)",
  manual: "You (this app)",
};

export function FulfillmentOrderCard({ fo, busy, disabled, onCommand }: FulfillmentOrderCardProps) {
  const where = fo.provider ?? fo.locationName;
  const statusTone =
    fo.status === "ON_HOLD"
      ? "warning"
      : fo.status === "CLOSED"
        ? "success"
        : fo.status === "CANCELLED"
          ? undefined
          : "info";
  // Names that say which fulfillment order a button acts on: an order can have several.
  const names: Record<FulfillmentOrderCommand, string> = {
    approve: `Approve the fulfillment order at ${where}`,
    fulfil: `Fulfil the fulfillment order at ${where}`,
    release: `Release the holds on the fulfillment order at ${where}`,
    hold: `Hold the fulfillment order at ${where}`,
  };
  const button = (action: FulfillmentOrderCommand, label: string, primary = false) => (
    <Button
      key={action}
      variant={primary ? "primary" : undefined}
      onClick={() => onCommand(action)}
      loading={busy === action}
      disabled={disabled && busy !== action}
      accessibilityLabel={names[action]}
    >
      {label}
    </Button>
  );
  const buttons = [
    fo.actions.approve ? button("approve", "Approve", true) : null,
    fo.actions.fulfil ? button("fulfil", "Fulfil", !fo.actions.approve) : null,
    fo.actions.release ? button("release", "Release holds") : null,
    fo.actions.hold ? button("hold", "Hold") : null,
  ].filter(Boolean);

  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              {where}
            </Text>
            <Text as="p" tone="subdued">
              {fo.provider ? `Fulfilled by ${fo.provider}` : "You fulfil this one"}
              {/* The read model says "Settings" when no rule decided and the defaults did. */}
              {fo.ruleName === "Settings"
                ? " · Decided by your Settings"
                : fo.ruleName
                  ? ` · Rule: ${fo.ruleName}`
                  : ""}
            </Text>
          </BlockStack>
          <InlineStack gap="100">
            {fo.outcome ? <OutcomeBadge outcome={fo.outcome} /> : null}
            <Badge tone={statusTone}>{shopifyWords(fo.status)}</Badge>
            {fo.provider ? <Badge>{`Lab request: ${shopifyWords(fo.requestStatus)}`}</Badge> : null}
            {fo.approved ? <Badge tone="success">Approved</Badge> : null}
          </InlineStack>
        </InlineStack>
        {fo.reason ? (
          <Text as="p" tone={fo.outcome === "needs_attention" ? "critical" : undefined}>
            {fo.reason}
          </Text>
        ) : null}
        {fo.holds.length > 0 ? (
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">
              Holds
            </Text>
            {fo.holds.map((hold) => (
              <InlineStack key={hold.id} gap="200" blockAlign="center">
                <Badge tone="warning">{hold.reason}</Badge>
                <Text as="span" tone="subdued">
                  {hold.placedBy
                    ? `Placed by: ${HOLD_BY[hold.placedBy]}`
                    : "Placed by another app or staff"}
                  {hold.notes ? ` — ${hold.notes}` : ""}
                </Text>
              </InlineStack>
            ))}
          </BlockStack>
        ) : null}
        <Divider />
        <BlockStack gap="300">
          {fo.lines.map((line) => (
            <BlockStack key={line.id} gap="100">
              <InlineStack align="space-between" gap="200" wrap={false}>
                <BlockStack gap="050">
                  <Text as="p" fontWeight="semibold">
                    {line.title}
                  </Text>
                  {line.variantTitle ? (
                    <Text as="p" tone="subdued">
                      {line.variantTitle}
                    </Text>
                  ) : null}
                  {line.sku ? (
                    <Text as="p" tone="subdued" variant="bodySm">
                      SKU {line.sku}
                    </Text>
                  ) : null}
                </BlockStack>
                <Text as="p" alignment="end">
                  {line.remaining === line.total
                    ? `× ${line.total}`
                    : `${line.remaining} of ${line.total} left`}
                </Text>
              </InlineStack>
              {line.options.length > 0 ? (
                <InlineStack gap="100">
                  {line.options.map((o) => (
                    <Badge key={o.name}>{`${o.name}: ${o.value}`}</Badge>
                  ))}
                </InlineStack>
              ) : null}
              {line.properties.length > 0 ? (
                <Box background="bg-surface-secondary" padding="200" borderRadius="200">
                  <BlockStack gap="050">
                    {line.properties.map((p) => (
                      <Text as="p" variant="bodySm" key={p.key} breakWord>
                        <Text as="span" fontWeight="semibold">
                          {p.key}:
                        </Text>{" "}
                        {p.value}
                      </Text>
                    ))}
                  </BlockStack>
                </Box>
              ) : null}
            </BlockStack>
          ))}
          {fo.lines.length === 0 ? (
            <Text as="p" tone="subdued">
              Lines are shown when Shopify answers.
            </Text>
          ) : null}
        </BlockStack>
        {buttons.length > 0 ? (
          <InlineStack align="end">
            <ButtonGroup>{buttons}</ButtonGroup>
          </InlineStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}
