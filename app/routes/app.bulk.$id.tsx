// A bulk job's progress while it runs, then its per-order report with a retry of what failed.
import { useEffect } from "react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import {
  Form,
  useLoaderData,
  isRouteErrorResponse,
  useNavigation,
  useRevalidator,
  useRouteError,
  useSearchParams,
} from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
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
import { useTranslation } from "react-i18next";
import db from "../db.server";
import { authenticate } from "../shopify.server";
import { postedForm } from "../utils/form.server";
import { retryFailed } from "../fulfilment/bulk.server";
import { jobQueue } from "../process-queue.server";
import { loadBulkJobView, readReportPage } from "../services/bulk-job-view.server";
import { bulkJobWord, renderWords } from "../i18n/words";
import { NotFoundPage } from "../components/NotFoundPage";
import { WrappingCell } from "../components/WrappingCell";

const POLL_MS = 1000;

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const page = readReportPage(new URL(request.url).searchParams.get("page"));
  const job = await loadBulkJobView(db, session.shop, params.id ?? "", page);
  if (!job) throw new Response("No such bulk action", { status: 404 });
  return { job };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await postedForm(request);
  // Only the retry button posts here; anything else is not a request this screen makes.
  if (form.get("intent") !== "retry") return data({ retried: 0 }, { status: 400 });
  const retried = await retryFailed(db, jobQueue(), session.shop, params.id ?? "");
  // Another shop's bulk action (or none): not found, and nothing is retried.
  if (retried === null) return data({ retried: 0 }, { status: 404 });
  return { retried };
};

const ITEM_BADGES = {
  succeeded: { tone: "success" },
  failed: { tone: "critical" },
  pending: { tone: "info" },
} as const;
const isItemStatus = (status: string): status is keyof typeof ITEM_BADGES => status in ITEM_BADGES;

export default function BulkJob() {
  const { job } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const revalidator = useRevalidator();
  const [searchParams, setSearchParams] = useSearchParams();
  // The report is read a page at a time; the page is in the URL, beside admin's own parameters.
  const goToPage = (page: number) => {
    const next = new URLSearchParams(searchParams);
    next.set("page", String(page));
    setSearchParams(next, { preventScrollReset: true });
  };
  const navigation = useNavigation();
  const running = job.status === "running";
  const done = job.succeeded + job.failed;
  const percent = job.total === 0 ? 100 : Math.round((done / job.total) * 100);
  const title = t("bulk.title", {
    action: bulkJobWord(t, job.action),
    count: job.total,
  });
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
    <Page backAction={{ content: t("nav.queue"), url: "/app/queue" }}>
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
                    {running ? t("bulk.inProgress") : t("bulk.finished")}
                  </Text>
                  <Badge tone={running ? "info" : job.failed > 0 ? "warning" : "success"}>
                    {running
                      ? t("bulk.running")
                      : job.failed > 0
                        ? t("bulk.finishedWithFailures")
                        : t("bulk.finished")}
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
                    {t("bulk.progress", {
                      done,
                      total: job.total,
                      succeeded: job.succeeded,
                      failed: job.failed,
                    })}
                    {job.pending > 0 ? t("bulk.progressWaiting", { count: job.pending }) : null}
                  </span>
                </Text>
              </BlockStack>
            </Card>
          </Layout.Section>
          {!running && job.failed > 0 ? (
            <Layout.Section>
              <Banner
                tone="warning"
                title={t("bulk.failedOf", { failed: job.failed, total: job.total })}
              >
                <BlockStack gap="200">
                  <Text as="p">{t("bulk.failedHelp")}</Text>
                  <Form method="post">
                    <input type="hidden" name="intent" value="retry" />
                    <Button submit loading={retrying}>
                      {t("bulk.retry")}
                    </Button>
                  </Form>
                </BlockStack>
              </Banner>
            </Layout.Section>
          ) : null}
          {!running && job.failed === 0 ? (
            <Layout.Section>
              <Banner tone="success" title={t("bulk.allSucceeded", { count: job.total })} />
            </Layout.Section>
          ) : null}
          <Layout.Section>
            <Card padding="0">
              <IndexTable
                resourceName={{ singular: t("bulk.item_one"), plural: t("bulk.item_other") }}
                itemCount={job.items.length}
                selectable={false}
                pagination={
                  job.pageCount > 1
                    ? {
                        hasPrevious: job.page > 1,
                        hasNext: job.page < job.pageCount,
                        onPrevious: () => goToPage(job.page - 1),
                        onNext: () => goToPage(job.page + 1),
                        label: t("bulkReport.page", { page: job.page, pages: job.pageCount }),
                      }
                    : undefined
                }
                headings={[
                  { title: t("bulk.order") },
                  { title: t("bulk.result") },
                  { title: t("bulk.why") },
                ]}
              >
                {job.items.map((item, index) => {
                  const badge = isItemStatus(item.status)
                    ? { ...ITEM_BADGES[item.status], label: t(`bulk.status.${item.status}`) }
                    : { tone: undefined, label: item.status };
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
                        {/* Shopify's or a lab's refusal can be a paragraph: it wraps in the card. */}
                        <WrappingCell minWidth="14rem">
                          <Text as="span" tone={item.status === "failed" ? "critical" : "subdued"}>
                            {item.error !== null
                              ? renderWords(t, item.error)
                              : item.status === "succeeded"
                                ? t("bulk.done")
                                : "—"}
                          </Text>
                        </WrappingCell>
                      </IndexTable.Cell>
                    </IndexTable.Row>
                  );
                })}
              </IndexTable>
            </Card>
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}

// An unknown id (or another shop's) is answered on a Polaris page in admin's frame, with a way
// back: the frame's own boundary would show the bare answer and lose the title bar. Shopify's
// auth responses pass on.
export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <NotFoundPage
        title={t("bulk.notFound.title")}
        body={t("bulk.notFound.body")}
        back={{ content: t("nav.queue"), url: "/app/queue" }}
      />
    );
  }
  return boundary.error(error);
}
