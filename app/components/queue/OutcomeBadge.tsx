// The coloured badge for a fulfillment order's outcome, the same on every screen.
import { Badge } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { OUTCOME_BADGES, isOutcome } from "../../routing/vocabulary";

export function OutcomeBadge({ outcome }: { outcome: string }) {
  const { t } = useTranslation();
  if (!isOutcome(outcome)) return <Badge progress="incomplete">{outcome.replace(/_/g, " ")}</Badge>;
  const look = OUTCOME_BADGES[outcome];
  return (
    <Badge tone={look.tone} progress={look.progress}>
      {t(`outcome.${outcome}`)}
    </Badge>
  );
}
