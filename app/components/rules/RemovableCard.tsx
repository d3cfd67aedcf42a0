// One part of a rule (a condition, an action) as a named group with its title and a Remove button.
import type { ReactNode } from "react";
import { BlockStack, Box, Button, InlineStack, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";

interface RemovableCardProps {
  /** Where its errors are keyed ("conditions.0"): the title's element id is built from it. */
  path: string;
  /** Shown as the heading: "Condition 2". */
  title: string;
  /** The part in a sentence, for the Remove button's accessible name: "condition 2". */
  name: string;
  onRemove: () => void;
  children: ReactNode;
}

export function RemovableCard({ path, title, name, onRemove, children }: RemovableCardProps) {
  const { t } = useTranslation();
  const titleId = `${path}-title`;
  return (
    // A named group, so "Value" or "What to check" is read out as belonging to this part.
    <div role="group" aria-labelledby={titleId}>
      <Box padding="300" borderWidth="025" borderColor="border" borderRadius="200">
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h4" variant="headingSm" id={titleId}>
              {title}
            </Text>
            <Button
              variant="plain"
              tone="critical"
              onClick={onRemove}
              accessibilityLabel={t("rules.form.removeNamed", { name })}
            >
              {t("rules.form.remove")}
            </Button>
          </InlineStack>
          {children}
        </BlockStack>
      </Box>
    </div>
  );
}
