// Home: how today's paid orders were routed, what needs the merchant now, queue health, the Admin
// API budget in use, and decisions over time.
import { Suspense, lazy, useEffect, useState } from "react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Box,
  Button,
  Card,
  InlineGrid,
  InlineStack,
  Layout,
  Link,
  Page,
  ProgressBar,
  SkeletonBodyText,
  Text,
} from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import db from "../db.server";
import { authenticate } from "../shopify.server";
import { budgets } from "../fulfilment/gateways.server";
import { loadHomeSummary } from "../services/home.server";
import { BULK_ACTION_LABELS, type BulkAction } from "../components/queue/queue-params";

const DecisionsChart = lazy(() => import("../components/queue/DecisionsChart"));

/** The chart's box is this tall before and after the chart arrives: nothing below it moves. */
const CHART_HEIGHT = 260;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const now = Date.now();
  return loadHomeSummary(db, session.shop, new Date(now), budgets.snapshot(session.shop, now));
};

function Stat({ label, value, tone }: { label: string; value: number; tone?: "critical" }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingSm">
          {label}
        </Text>
        <Text as="p" variant="heading2xl" tone={tone}>
          {value}
        </Text>
      </BlockStack>
    </Card>
  );
}

function CountRow({
  label,
  count,
  url,
  tone,
}: {
  label: string;
  count: number;
  url?: string;
  tone?: "critical" | "attention" | "warning" | "success" | "info";
}) {
  return (
    <InlineStack align="space-between" blockAlign="center">
      {url && count > 0 ? <Link url={url}>{label}</Link> : <Text as="span">{label}</Text>}
      <Badge tone={count > 0 ? tone : undefined}>{String(count)}</Badge>
    </InlineStack>
  );
}

const dayFormat = new Intl.DateTimeFormat("en", {
  month: "short",
  day: "numeric",
  timeZone: "UTC",
});

export default function Home() {
  const summary = useLoaderData<typeof loader>();
  const { today, now, jobs, budget } = summary;
  // The chart draws with browser measurements: render it after hydration, in a box of fixed size.
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const chartSkeleton = (
    <div style={{ paddingBlock: "var(--p-space-400)" }}>
      <SkeletonBodyText lines={6} />
    </div>
  );

  return (
    <Page>
      <TitleBar title="Fulfilment Router" />
      <BlockStack gap="400">
        <Text as="h1" variant="headingLg" visuallyHidden>
          Fulfilment Router
        </Text>
        <Layout>
          <Layout.Section>
            <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
              <Stat label="Decisions today" value={summary.decisionsToday} />
              <Stat
                label="Needs attention"
                value={summary.needsAttention}
                tone={summary.needsAttention ? "critical" : undefined}
              />
              <Stat label="Active rules" value={summary.enabledRules} />
            </InlineGrid>
          </Layout.Section>

          <Layout.Section>
            <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Today&apos;s paid orders: {today.paidOrders}
                  </Text>
                  <Text as="p" tone="subdued">
                    How the app routed orders placed today (UTC). An order split between the Studio
                    and a lab counts in both rows.
                  </Text>
                  <CountRow label="Routed automatically" count={today.automatic} tone="success" />
                  <CountRow
                    label="In review"
                    count={today.inReview}
                    url="/app/queue?status=in_review"
                    tone="attention"
                  />
                  <CountRow
                    label="On hold"
                    count={today.held}
                    url="/app/queue?status=held"
                    tone="warning"
                  />
                  <CountRow label="Split" count={today.split} tone="info" />
                  <CountRow label="Sent to a lab" count={today.sentToLab} tone="info" />
                  <CountRow
                    label="Ready for you to fulfil"
                    count={today.waitingForYou}
                    url="/app/queue?status=waiting_for_you"
                    tone="attention"
                  />
                  <CountRow
                    label="Needs your attention"
                    count={today.needsAttention}
                    url="/app/queue?status=needs_attention"
                    tone="critical"
                  />
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Waiting for you now
                  </Text>
                  <CountRow
                    label="Fulfillment orders in review"
                    count={now.inReview}
                    url="/app/queue?status=in_review"
                    tone="attention"
                  />
                  <CountRow
                    label="Needing your attention"
                    count={now.needsAttention}
                    url="/app/queue?status=needs_attention"
                    tone="critical"
                  />
                  <CountRow
                    label="On hold"
                    count={now.held}
                    url="/app/queue?status=held"
                    tone="warning"
                  />
                  <CountRow
                    label="Ready for you to fulfil"
                    count={now.waitingForYou}
                    url="/app/queue?status=waiting_for_you"
                    tone="attention"
                  />
                  <InlineStack>
                    <Button url="/app/queue" variant="primary">
                      Open the review queue
                    </Button>
                  </InlineStack>
                  {summary.recentBulkJobs.length > 0 ? (
                    <BlockStack gap="100">
                      <Text as="h3" variant="headingSm">
                        Recent bulk actions
                      </Text>
                      {summary.recentBulkJobs.map((job) => (
                        <InlineStack key={job.id} align="space-between" blockAlign="center">
                          <Link url={`/app/bulk/${job.id}`}>
                            {`${BULK_ACTION_LABELS[job.action as BulkAction] ?? job.action} · ${job.total}`}
                          </Link>
                          <Badge
                            tone={
                              job.status === "running"
                                ? "info"
                                : job.failed > 0
                                  ? "critical"
                                  : "success"
                            }
                          >
                            {job.status === "running"
                              ? "Running"
                              : job.failed > 0
                                ? `${job.failed} failed`
                                : "Done"}
                          </Badge>
                        </InlineStack>
                      ))}
                    </BlockStack>
                  ) : null}
                </BlockStack>
              </Card>
            </InlineGrid>
          </Layout.Section>

          <Layout.Section>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Decisions over the last {summary.decisionsByDay.length} days
                </Text>
                <div style={{ height: CHART_HEIGHT }} aria-hidden={!mounted}>
                  {mounted ? (
                    <Suspense fallback={chartSkeleton}>
                      <DecisionsChart days={summary.decisionsByDay} />
                    </Suspense>
                  ) : (
                    chartSkeleton
                  )}
                </div>
                {/* The same numbers as a table, for screen readers. */}
                <Box visuallyHidden>
                  <table>
                    <caption>Decisions per day</caption>
                    <thead>
                      <tr>
                        <th scope="col">Day</th>
                        <th scope="col">Routed automatically</th>
                        <th scope="col">By you</th>
                        <th scope="col">Needs attention</th>
                      </tr>
                    </thead>
                    <tbody>
                      {summary.decisionsByDay.map((d) => (
                        <tr key={d.date}>
                          <th scope="row">{dayFormat.format(new Date(`${d.date}T00:00:00Z`))}</th>
                          <td>{d.automatic}</td>
                          <td>{d.byYou}</td>
                          <td>{d.needsAttention}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </Box>
              </BlockStack>
            </Card>
          </Layout.Section>

          <Layout.Section>
            <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Job queue
                  </Text>
                  <CountRow label="Waiting" count={jobs.queued} tone="info" />
                  <CountRow label="Running" count={jobs.running} tone="info" />
                  <CountRow label="Failed for good" count={jobs.failed} tone="critical" />
                  <Text as="p" tone={jobs.oldestWaitSeconds > 60 ? "critical" : "subdued"}>
                    {jobs.oldestWaitSeconds > 0
                      ? `The oldest waiting job has waited ${jobs.oldestWaitSeconds} s.`
                      : "Nothing is waiting: the worker keeps up."}
                  </Text>
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd" id="budget-heading">
                    Admin API budget in use
                  </Text>
                  <ProgressBar
                    progress={budget.inUsePercent}
                    tone={budget.inUsePercent > 80 ? "critical" : "primary"}
                    ariaLabelledBy="budget-heading"
                  />
                  <Text as="p">
                    {budget.maximum - budget.available} of {budget.maximum} points in use; Shopify
                    restores {budget.restoreRate} a second.
                  </Text>
                  <Text as="p" tone="subdued">
                    {budget.known
                      ? "As Shopify last reported for this shop."
                      : "No call to Shopify yet since the app started: Shopify's smallest bucket is assumed."}
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
      </BlockStack>
    </Page>
  );
}
