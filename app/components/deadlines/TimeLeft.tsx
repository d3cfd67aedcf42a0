// How long is left to capture an order's payment, as the order screen, Home and the review
// queue show it: a warning badge inside the shop's warning window, "(estimate)" when Shopify
// gave no expiry.
import { Badge, InlineStack, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";

export function TimeLeft({
  lapsesAt,
  estimated,
  warnHours,
  now,
}: {
  /** ISO 8601. */
  lapsesAt: string;
  estimated: boolean;
  warnHours: number;
  /** The loader's clock (ISO 8601), so server and browser render the same text. */
  now: string;
}) {
  const { t } = useTranslation();
  const msLeft = Date.parse(lapsesAt) - Date.parse(now);
  const hours = Math.floor(msLeft / 3600_000);
  const left =
    msLeft <= 0
      ? t("deadlines.left.lapsed")
      : hours >= 48
        ? t("deadlines.left.days", { count: Math.floor(hours / 24), hours: hours % 24 })
        : t("deadlines.left.hours", { count: Math.max(hours, 0) });
  return (
    <InlineStack gap="100" blockAlign="center" wrap={false}>
      {msLeft <= warnHours * 3600_000 ? (
        <Badge tone="critical">{left}</Badge>
      ) : (
        <Text as="span">{left}</Text>
      )}
      {estimated ? (
        <Text as="span" tone="subdued">
          {t("deadlines.left.estimate")}
        </Text>
      ) : null}
    </InlineStack>
  );
}
