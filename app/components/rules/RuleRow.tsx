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
import { useTranslation } from "react-i18next";
import { renderWords } from "../../i18n/words";
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
  const { t } = useTranslation();
  const joiner = ` ${t(rule.match === "any" ? "rules.row.or" : "rules.row.and")} `;
  const when =
    rule.conditions.length === 0
      ? t("rules.row.everyFulfillmentOrder")
      : t("rules.row.when", {
          conditions: rule.conditions.map((c) => renderWords(t, c)).join(joiner),
        });
  const actions = rule.actions.map((a) => renderWords(t, a)).join(", ");
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
                  accessibilityLabel={t("rules.row.edit", { name: rule.name })}
                >
                  {rule.name}
                </Link>
              </Text>
              {rule.problems ? (
                <Badge tone="critical">{t("rules.row.needsFixing")}</Badge>
              ) : rule.enabled ? (
                <Badge tone="success">{t("rules.row.on")}</Badge>
              ) : (
                <Badge>{t("rules.row.off")}</Badge>
              )}
            </InlineStack>
            {rule.problems ? (
              <Text as="p" tone="critical">
                {t("rules.row.skipped", {
                  problems: rule.problems.map((problem) => renderWords(t, problem)).join("; "),
                })}
              </Text>
            ) : (
              <Text as="p" tone="subdued">
                {t("rules.row.summary", { when, actions })}
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
                accessibilityLabel={t("rules.row.moveUpNamed", { name: rule.name })}
              >
                {t("rules.row.moveUp")}
              </Button>
              <Button
                id={`move-down-${rule.id}`}
                size="slim"
                disabled={index === count - 1 || busy}
                onClick={() => onMove("down")}
                accessibilityLabel={t("rules.row.moveDownNamed", { name: rule.name })}
              >
                {t("rules.row.moveDown")}
              </Button>
            </ButtonGroup>
            <ButtonGroup>
              <Button
                size="slim"
                disabled={busy || rule.problems !== null}
                onClick={onToggle}
                accessibilityLabel={t(
                  rule.enabled ? "rules.row.turnOffNamed" : "rules.row.turnOnNamed",
                  {
                    name: rule.name,
                  },
                )}
              >
                {t(rule.enabled ? "rules.row.turnOff" : "rules.row.turnOn")}
              </Button>
              <Button
                size="slim"
                disabled={busy}
                onClick={onDuplicate}
                accessibilityLabel={t("rules.row.duplicateNamed", { name: rule.name })}
              >
                {t("rules.row.duplicate")}
              </Button>
              <Button
                size="slim"
                tone="critical"
                variant="plain"
                disabled={busy}
                onClick={onDelete}
                accessibilityLabel={t("rules.row.deleteNamed", { name: rule.name })}
              >
                {t("rules.row.delete")}
              </Button>
            </ButtonGroup>
          </InlineStack>
        </BlockStack>
      </Box>
    </li>
  );
}
