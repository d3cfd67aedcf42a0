// The coloured badge for a fulfillment order's outcome, the same on every screen.
import { Badge } from "@shopify/polaris";
import { OUTCOME_BADGES, isOutcome, outcomeLabel } from "./queue-params";

export function OutcomeBadge({ outcome }: { outcome: string }) {
  const look = isOutcome(outcome) ? OUTCOME_BADGES[outcome] : { progress: "incomplete" as const };
  return (
    <Badge tone={look.tone} progress={look.progress}>
      {outcomeLabel(outcome)}
    </Badge>
  );
}
