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
import { useTranslation } from "react-i18next";
import { renderWords } from "../../i18n/words";
import { DECIDED_BY_SETTINGS } from "../../routing/vocabulary";
import type { DetailFulfillmentOrder } from "../../services/order-detail.server";
import { OutcomeBadge } from "../queue/OutcomeBadge";
import { useFormat } from "./format";
import { FulfillmentOrderNotes } from "./FulfillmentOrderNotes";

export type FulfillmentOrderCommand = "approve" | "hold" | "release" | "fulfil";

export interface FulfillmentOrderCardProps {
  fo: DetailFulfillmentOrder;
  /** The action now running on this fulfillment order, if any. */
  busy: FulfillmentOrderCommand | null;
  disabled: boolean;
  onCommand(action: FulfillmentOrderCommand): void;
}

export function FulfillmentOrderCard({ fo, busy, disabled, onCommand }: FulfillmentOrderCardProps) {
  const { t } = useTranslation();
  const format = useFormat();
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
  const button = (action: FulfillmentOrderCommand, primary = false) => (
    <Button
      key={action}
      variant={primary ? "primary" : undefined}
      onClick={() => onCommand(action)}
      loading={busy === action}
      disabled={disabled && busy !== action}
      accessibilityLabel={t(`fulfillmentOrderCard.commandAt.${action}`, { where })}
    >
      {t(`fulfillmentOrderCard.command.${action}`)}
    </Button>
  );
  const buttons = [
    fo.actions.approve ? button("approve", true) : null,
    fo.actions.fulfil ? button("fulfil", !fo.actions.approve) : null,
    fo.actions.release ? button("release") : null,
    fo.actions.hold ? button("hold") : null,
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
              {fo.provider
                ? t("fulfillmentOrderCard.fulfilledBy", { provider: fo.provider })
                : t("fulfillmentOrderCard.youFulfill")}
              {fo.ruleName === DECIDED_BY_SETTINGS
                ? t("fulfillmentOrderCard.decidedBySettings")
                : fo.ruleName
                  ? t("fulfillmentOrderCard.decidedByRule", { rule: fo.ruleName })
                  : ""}
            </Text>
          </BlockStack>
          <InlineStack gap="100">
            {fo.outcome ? <OutcomeBadge outcome={fo.outcome} /> : null}
            <Badge tone={statusTone}>{format.shopifyWords(fo.status)}</Badge>
            {fo.provider ? (
              <Badge>
                {t("fulfillmentOrderCard.labRequest", {
                  status: format.shopifyWords(fo.requestStatus),
                })}
              </Badge>
            ) : null}
            {fo.approved ? (
              <Badge tone="success">{t("fulfillmentOrderCard.approved")}</Badge>
            ) : null}
          </InlineStack>
        </InlineStack>
        {fo.reason ? (
          <Text as="p" tone={fo.outcome === "needs_attention" ? "critical" : undefined}>
            {renderWords(t, fo.reason)}
          </Text>
        ) : null}
        {fo.holds.length > 0 ? (
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">
              {t("fulfillmentOrderCard.holds")}
            </Text>
            {fo.holds.map((hold) => (
              <InlineStack key={hold.id} gap="200" blockAlign="center">
                <Badge tone="warning">{t(`holdReason.${hold.reasonCode}`)}</Badge>
                <Text as="span" tone="subdued">
                  {hold.placedBy
                    ? t("fulfillmentOrderCard.placedBy", {
                        by: t(`fulfillmentOrderCard.holdBy.${hold.placedBy}`),
                      })
                    : t("fulfillmentOrderCard.placedByOthers")}
                  {hold.notes ? ` — ${renderWords(t, hold.notes)}` : ""}
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
                      {t("fulfillmentOrderCard.sku", { sku: line.sku })}
                    </Text>
                  ) : null}
                </BlockStack>
                <Text as="p" alignment="end">
                  {line.remaining === line.total
                    ? `× ${format.number(line.total)}`
                    : t("fulfillmentOrderCard.left", {
                        remaining: format.number(line.remaining),
                        total: format.number(line.total),
                      })}
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
              {t("fulfillmentOrderCard.linesWhenShopifyAnswers")}
            </Text>
          ) : null}
        </BlockStack>
        <Divider />
        <FulfillmentOrderNotes fulfillmentOrderId={fo.id} where={where} notes={fo.notes} />
        {buttons.length > 0 ? (
          <InlineStack align="end">
            <ButtonGroup>{buttons}</ButtonGroup>
          </InlineStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}
