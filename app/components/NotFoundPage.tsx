// The page a screen that takes an id shows when nothing is at that id, or when what is there could
// not be read (ADR 044): admin's title bar, the catalogue's words and a named way back, in place of
// the frame's bare error answer.
import { Banner, BlockStack, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";

export function NotFoundPage({
  title,
  body,
  back,
  tone = "warning",
}: {
  title: string;
  body: string;
  /** A back action needs its words: without `content` Polaris draws an unnamed control. */
  back: { content: string; url: string };
  /** "critical" where it could not be read (Shopify did not answer), not that it is missing. */
  tone?: "warning" | "critical";
}) {
  return (
    <Page backAction={back}>
      <TitleBar title={title} />
      <BlockStack gap="400">
        <Text as="h1" variant="headingLg">
          {title}
        </Text>
        <Banner tone={tone}>
          <p>{body}</p>
        </Banner>
      </BlockStack>
    </Page>
  );
}
