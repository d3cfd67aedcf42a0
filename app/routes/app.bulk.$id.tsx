// A bulk job's progress while it runs, then its per-order report with a retry of what failed.
import { useEffect } from "react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  IndexTable,
  InlineStack,
  Layout,
  Link,
  Page,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import db from "../db.server";
import { authenticate } from "../shopify.server";
import { retryFailed } from "../fulfilment/bulk.server";
import { jobQueue } from "../jobs/embedded-worker.server";
import { loadBulkJobView } from "../services/queue.server";
import { BULK_ACTION_LABELS, type BulkAction } from "../components/queue/queue-params";

const POLL_MS = 1000;

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const job = await loadBulkJobView(db, session.shop, params.id ?? "");
  if (!job) throw new Response("No such bulk action", { status: 404 });
  return { job };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  if (form.get("intent") !== "retry")
    return data({ retried: 0, error: "Unknown action" }, { status: 422 });
  const retried = await retryFailed(db, jobQueue(), session.shop, params.id ?? "");
  return { retried, error: null };
};

function actionLabel(action: string): string {
  return BULK_ACTION_LABELS[action as BulkAction] ?? action;
}

const ITEM_BADGES: Record<string, { tone?: "success" | "critical" | "info"; label: string }> = {
  succeeded: { tone: "success", label: "Succeeded" },
  failed: { tone: "critical", label: "Failed" },
  pending: { tone: "info", label: "Waiting" },
};

export default function BulkJob() {
  const { job } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const navigation = useNavigation();
  const running = job.status === "running";
  const done = job.succeeded + job.failed;
  const percent = job.total === 0 ? 100 : Math.round((done / job.total) * 100);
  const title = `${actionLabel(job.action)}: ${job.total} ${job.total === 1 ? "item" : "items"}`;
  const retrying = navigation.state !== "idle" && navigation.formData?.get("intent") === "retry";

  // Poll the loader while the job runs; a revalidation still in flight is not stacked.
  const { revalidate, state } = revalidator;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      if (state === "idle") revalidate();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [running, revalidate, state]);

  return (
    <Page backAction={{ content: "Review queue", url: "/app/queue" }}>
      <TitleBar title={title} />
      <BlockStack gap="400">
        <Text as="h1" variant="headingLg" visuallyHidden>
          {title}
        </Text>
        <Layout>
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd" id="bulk-progress-label">
                    {running ? "In progress" : "Finished"}
                  </Text>
                  <Badge tone={running ? "info" : job.failed > 0 ? "warning" : "success"}>
                    {running ? "Running" : job.failed > 0 ? "Finished with failures" : "Finished"}
                  </Badge>
                </InlineStack>
                <ProgressBar
                  progress={percent}
                  tone={job.failed > 0 ? "critical" : "primary"}
                  ariaLabelledBy="bulk-progress-label"
                />
                {/* Live region: screen readers hear the count change while the job runs. */}
                <Text as="p" tone="subdued">
                  <span role="status" aria-live="polite">
                    {done} of {job.total} done · {job.succeeded} succeeded · {job.failed} failed
                    {job.pending > 0 ? ` · ${job.pending} waiting` : ""}
                  </span>
                </Text>
              </BlockStack>
            </Card>
          </Layout.Section>
          {!running && job.failed > 0 ? (
            <Layout.Section>
              <Banner tone="warning" title={`${job.failed} of ${job.total} failed`}>
                <BlockStack gap="200">
                  <Text as="p">
                    Each failure below says why. Retry runs only the failed ones again.
                  </Text>
                  <Form method="post">
                    <input type="hidden" name="intent" value="retry" />
                    <Button submit loading={retrying}>
                      Retry failed
                    </Button>
                  </Form>
                </BlockStack>
              </Banner>
            </Layout.Section>
          ) : null}
          {!running && job.failed === 0 ? (
            <Layout.Section>
              <Banner tone="success" title={`All ${job.total} succeeded`} />
            </Layout.Section>
          ) : null}
          <Layout.Section>
            <Card padding="0">
              <IndexTable
                resourceName={{ singular: "item", plural: "items" }}
                itemCount={job.items.length}
                selectable={false}
                headings={[{ title: "Order" }, { title: "Result" }, { title: "Why" }]}
              >
                {job.items.map((item, index) => {
                  const badge = ITEM_BADGES[item.status] ?? { label: item.status };
                  return (
                    <IndexTable.Row id={item.id} key={item.id} position={index}>
                      <IndexTable.Cell>
                        {item.orderNumber ? (
                          <Link url={`/app/orders/${item.orderNumber}`}>{item.label}</Link>
                        ) : (
                          item.label
                        )}
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <Badge tone={badge.tone}>{badge.label}</Badge>
                      </IndexTable.Cell>
                      <IndexTable.Cell>
                        <Text
                          as="span"
                          tone={item.status === "failed" ? "critical" : "subdued"}
                          breakWord
                        >
                          {item.error ?? (item.status === "succeeded" ? "Done" : "—")}
                        </Text>
                      </IndexTable.Cell>
                    </IndexTable.Row>
                  );
                })}
              </IndexTable>
              {job.hidden > 0 ? (
                <div style={{ padding: "var(--p-space-400)" }}>
                  <Text as="p" tone="subdued">
                    {job.hidden} more items are not listed; they are past the first failures.
                  </Text>
                </div>
              ) : null}
            </Card>
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}
