// A card's heading with the help text under it: how the screens open a card that explains itself.
import { BlockStack, Text } from "@shopify/polaris";
import type { ReactNode } from "react";

export function CardHeading({ title, help }: { title: ReactNode; help: ReactNode }) {
  return (
    <BlockStack gap="100">
      <Text as="h2" variant="headingMd">
        {title}
      </Text>
      <Text as="p" tone="subdued">
        {help}
      </Text>
    </BlockStack>
  );
}
