// How long an authorization has left, on the order's payment card: Shopify's expiry, or the
// gateway's period counted from the authorization and marked as an estimate.
import { Badge, InlineStack, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import type { AuthorizationDeadline as Deadline } from "../../routing";

export function AuthorizationDeadline({
  deadline,
  warnHours,
}: {
  deadline: Deadline | null;
  warnHours: number;
}) {
  const { t } = useTranslation();
  if (!deadline) return null;
  const hours = Math.floor(deadline.msLeft / 3600_000);
  const left =
    deadline.msLeft <= 0
      ? t("afterSales.authorization.lapsed")
      : hours >= 48
        ? t("afterSales.authorization.daysLeft", {
            count: Math.floor(hours / 24),
            hours: hours % 24,
          })
        : t("afterSales.authorization.hoursLeft", { count: Math.max(hours, 0) });
  const soon = deadline.msLeft <= warnHours * 3600_000;
  return (
    <InlineStack gap="200" blockAlign="center">
      {soon ? <Badge tone="critical">{left}</Badge> : <Text as="span">{left}</Text>}
      {deadline.estimated ? (
        <Text as="span" tone="subdued">
          {t("afterSales.authorization.estimate")}
        </Text>
      ) : null}
    </InlineStack>
  );
}
