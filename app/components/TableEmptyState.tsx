// What a table shows while it has no rows: a title saying so and the help text under it.
import { BlockStack, Text } from "@shopify/polaris";
import type { ReactNode } from "react";

export function TableEmptyState({ title, help }: { title: ReactNode; help: ReactNode }) {
  return (
    <BlockStack gap="200" inlineAlign="center">
      <Text as="p" variant="headingMd">
        {title}
      </Text>
      <Text as="p" tone="subdued">
        {help}
      </Text>
    </BlockStack>
  );
}
