// One rule in the priority list: what it checks and does, and the buttons to move, switch, copy and delete it.
import {
  Badge,
  BlockStack,
  Box,
  Button,
  ButtonGroup,
  InlineStack,
  Link,
  Text,
} from "@shopify/polaris";
import type { RuleSummary } from "../../services/rules.server";

interface RuleRowProps {
  rule: RuleSummary;
  index: number;
  count: number;
  busy: boolean;
  onMove: (direction: "up" | "down") => void;
  onToggle: () => void;
  onDuplicate: () => void;
  onDelete: () => void;
}

export function RuleRow({
  rule,
  index,
  count,
  busy,
  onMove,
  onToggle,
  onDuplicate,
  onDelete,
}: RuleRowProps) {
  const joiner = rule.match === "any" ? " or " : " and ";
  const when =
    rule.conditions.length === 0
      ? "Every fulfillment order"
      : `When ${rule.conditions.join(joiner)}`;
  return (
    <li aria-label={`${index + 1}. ${rule.name}`}>
      <Box padding="400" borderBlockStartWidth="025" borderColor="border">
        <BlockStack gap="300">
          <BlockStack gap="100">
            <InlineStack gap="200" align="start" blockAlign="center" wrap>
              <Text as="span" variant="bodySm" tone="subdued">
                {index + 1}.
              </Text>
              <Text as="h3" variant="headingSm">
                <Link
                  url={`/app/rules/${rule.id}`}
                  removeUnderline
                  accessibilityLabel={`Edit ${rule.name}`}
                >
                  {rule.name}
                </Link>
              </Text>
              {rule.problems ? (
                <Badge tone="critical">Needs fixing</Badge>
              ) : rule.enabled ? (
                <Badge tone="success">On</Badge>
              ) : (
                <Badge>Off</Badge>
              )}
            </InlineStack>
            {rule.problems ? (
              <Text as="p" tone="critical">
                Skipped until fixed: {rule.problems.join("; ")}
              </Text>
            ) : (
              <Text as="p" tone="subdued">
                {when} → {rule.actions.join(", ")}
              </Text>
            )}
          </BlockStack>
          {/* align is set on every stack: Polaris stacks read it from a CSS variable an outer stack would pass down. */}
          <InlineStack gap="200" align="start" wrap>
            <ButtonGroup>
              <Button
                id={`move-up-${rule.id}`}
                size="slim"
                disabled={index === 0 || busy}
                onClick={() => onMove("up")}
                accessibilityLabel={`Move ${rule.name} up`}
              >
                Move up
              </Button>
              <Button
                id={`move-down-${rule.id}`}
                size="slim"
                disabled={index === count - 1 || busy}
                onClick={() => onMove("down")}
                accessibilityLabel={`Move ${rule.name} down`}
              >
                Move down
              </Button>
            </ButtonGroup>
            <ButtonGroup>
              <Button
                size="slim"
                disabled={busy || rule.problems !== null}
                onClick={onToggle}
                accessibilityLabel={`${rule.enabled ? "Turn off" : "Turn on"} ${rule.name}`}
              >
                {rule.enabled ? "Turn off" : "Turn on"}
              </Button>
              <Button
                size="slim"
                disabled={busy}
                onClick={onDuplicate}
                accessibilityLabel={`Duplicate ${rule.name}`}
              >
                Duplicate
              </Button>
              <Button
                size="slim"
                tone="critical"
                variant="plain"
                disabled={busy}
                onClick={onDelete}
                accessibilityLabel={`Delete ${rule.name}`}
              >
                Delete
              </Button>
            </ButtonGroup>
          </InlineStack>
        </BlockStack>
      </Box>
    </li>
  );
}
