// Home: how today's paid orders were routed and what needs the merchant now.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Card,
  InlineGrid,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import db from "../db.server";
import { authenticate } from "../shopify.server";
import { loadHomeSummary } from "../services/home.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return loadHomeSummary(db, session.shop, new Date());
};

export default function Home() {
  const summary = useLoaderData<typeof loader>();
  return (
    <Page title="Fulfilment Router">
      <TitleBar title="Fulfilment Router" />
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm">
                  Decisions today
                </Text>
                <Text as="p" variant="heading2xl">
                  {summary.decisionsToday}
                </Text>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm">
                  Needs attention
                </Text>
                <Text as="p" variant="heading2xl" tone={summary.needsAttention ? "critical" : undefined}>
                  {summary.needsAttention}
                </Text>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingSm">
                  Active rules
                </Text>
                <Text as="p" variant="heading2xl">
                  {summary.enabledRules}
                </Text>
              </BlockStack>
            </Card>
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                When no rule matches
              </Text>
              <Text as="p">
                Fulfillment orders that no rule matches are{" "}
                {summary.defaultMode === "automatic" ? (
                  <Badge tone="success">fulfilled automatically</Badge>
                ) : (
                  <Badge tone="attention">left for you to fulfil</Badge>
                )}
                .
              </Text>
              <Text as="p" tone="subdued">
                Connected to {summary.shop}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
