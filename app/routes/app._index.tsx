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
  SkeletonBodyText,
  Text,
} from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { findingCounts } from "../services/findings.server";
import { localeOf } from "../i18n/i18next.server";
import db from "../db.server";
import { authenticate } from "../shopify.server";
import { shopBucket } from "../gateways.server";
import { loadHomeSummary } from "../services/home.server";
import { jobQueue } from "../process-queue.server";
import { useTranslation } from "react-i18next";
import { bulkJobWord } from "../i18n/words";
import { LapsingCard } from "../components/deadlines/LapsingCard";
import { CardHeading } from "../components/CardHeading";
import { ProgressMeter } from "../components/ProgressMeter";

const DecisionsChart = lazy(() => import("../components/queue/DecisionsChart"));

/** A due job waiting longer than this says the worker does not keep up. */
const SLOW_QUEUE_SECONDS = 60;

/** The chart's box is this tall before and after the chart arrives: nothing below it moves. */
const CHART_HEIGHT = 260;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const now = Date.now();
  const bucket = await shopBucket(session.shop, now);
  const [summary, findings] = await Promise.all([
    loadHomeSummary(db, session.shop, new Date(now), bucket, jobQueue()),
    findingCounts(db, session.shop),
  ]);
  // Each day's name in the admin's language, written here: the browser's first date format loads
  // its locale and time zone data, tens of milliseconds inside hydration (a tap waits on it).
  const dayFormat = new Intl.DateTimeFormat(await localeOf(request), {
    month: "short",
    day: "numeric",
    timeZone: "UTC",
  });
  const decisionsByDay = summary.decisionsByDay.map((day) => ({
    ...day,
    label: dayFormat.format(new Date(`${day.date}T00:00:00Z`)),
  }));
  return { ...summary, decisionsByDay, findings, renderedAt: new Date(now).toISOString() };
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

type Summary = ReturnType<typeof useLoaderData<typeof loader>>;
type DecisionDays = ReturnType<typeof useLoaderData<typeof loader>>["decisionsByDay"];

/** Decisions over the last days: the chart, drawn once hydrated, and its numbers as a table. */
function DecisionsCard({ days }: { days: DecisionDays }) {
  const { t } = useTranslation();
  // The chart draws with browser measurements: render it after hydration, in a box of fixed size.
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const chartSkeleton = (
    <div style={{ paddingBlock: "var(--p-space-400)" }}>
      <SkeletonBodyText lines={6} />
    </div>
  );
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {t("home.chart.title", { count: days.length })}
        </Text>
        <div style={{ height: CHART_HEIGHT }} aria-hidden={!mounted}>
          {mounted ? (
            <Suspense fallback={chartSkeleton}>
              <DecisionsChart days={days} />
            </Suspense>
          ) : (
            chartSkeleton
          )}
        </div>
        {/* The same numbers as a table, for screen readers. */}
        <Box visuallyHidden>
          <table>
            <caption>{t("home.chart.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("home.chart.day")}</th>
                <th scope="col">{t("home.chart.automatic")}</th>
                <th scope="col">{t("home.chart.byYou")}</th>
                <th scope="col">{t("home.chart.needsAttention")}</th>
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.date}>
                  <th scope="row">{d.label}</th>
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
  );
}

/** The day's three figures. */
function Stats({ summary }: { summary: Summary }) {
  const { t } = useTranslation();
  return (
    <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
      <Stat label={t("home.stat.decisionsToday")} value={summary.decisionsToday} />
      <Stat
        label={t("home.stat.needsAttention")}
        value={summary.needsAttention}
        tone={summary.needsAttention ? "critical" : undefined}
      />
      <Stat label={t("home.stat.activeRules")} value={summary.enabledRules} />
    </InlineGrid>
  );
}

/** How today's paid orders were routed. */
function TodayCard({ summary }: { summary: Summary }) {
  const { t } = useTranslation();
  const { today } = summary;
  return (
    <Card>
      <BlockStack gap="300">
        <CardHeading
          title={t("home.today.title", { count: today.paidOrders })}
          help={t("home.today.help")}
        />
        <CountRow label={t("home.today.automatic")} count={today.automatic} tone="success" />
        <CountRow
          label={t("home.today.inReview")}
          count={today.inReview}
          url="/app/queue?status=in_review"
          tone="attention"
        />
        <CountRow
          label={t("home.today.held")}
          count={today.held}
          url="/app/queue?status=held"
          tone="warning"
        />
        <CountRow label={t("home.today.split")} count={today.split} tone="info" />
        <CountRow label={t("home.today.sentToLab")} count={today.sentToLab} tone="info" />
        <CountRow
          label={t("home.today.waitingForYou")}
          count={today.waitingForYou}
          url="/app/queue?status=waiting_for_you"
          tone="attention"
        />
        <CountRow
          label={t("home.today.needsAttention")}
          count={today.needsAttention}
          url="/app/queue?status=needs_attention"
          tone="critical"
        />
      </BlockStack>
    </Card>
  );
}

/** What waits for the merchant now, with the way into the queue and the latest bulk actions. */
function NowCard({ summary }: { summary: Summary }) {
  const { t } = useTranslation();
  const { now } = summary;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("home.now.title")}
        </Text>
        <CountRow
          label={t("stuck.home.stuck")}
          count={summary.findings.stuck}
          url="/app/stuck?view=stuck"
          tone="critical"
        />
        <CountRow
          label={t("stuck.home.drift")}
          count={summary.findings.drift}
          url="/app/stuck?view=drift"
          tone="critical"
        />
        <CountRow
          label={t("home.now.inReview")}
          count={now.inReview}
          url="/app/queue?status=in_review"
          tone="attention"
        />
        <CountRow
          label={t("home.now.needsAttention")}
          count={now.needsAttention}
          url="/app/queue?status=needs_attention"
          tone="critical"
        />
        <CountRow
          label={t("home.now.held")}
          count={now.held}
          url="/app/queue?status=held"
          tone="warning"
        />
        <CountRow
          label={t("home.now.waitingForYou")}
          count={now.waitingForYou}
          url="/app/queue?status=waiting_for_you"
          tone="attention"
        />
        {summary.dataRequests > 0 ? (
          <CountRow
            label={t("home.now.dataRequests")}
            count={summary.dataRequests}
            url="/app/data-requests"
            tone="attention"
          />
        ) : null}
        <InlineStack>
          <Button url="/app/queue" variant="primary">
            {t("home.now.openQueue")}
          </Button>
        </InlineStack>
        {summary.recentBulkJobs.length > 0 ? (
          <BlockStack gap="100">
            <Text as="h3" variant="headingSm">
              {t("home.bulk.title")}
            </Text>
            {summary.recentBulkJobs.map((job) => (
              <InlineStack key={job.id} align="space-between" blockAlign="center">
                <Link url={`/app/bulk/${job.id}`}>
                  {`${bulkJobWord(t, job.action)} · ${job.total}`}
                </Link>
                <Badge
                  tone={job.status === "running" ? "info" : job.failed > 0 ? "critical" : "success"}
                >
                  {job.status === "running"
                    ? t("home.bulk.running")
                    : job.failed > 0
                      ? t("home.bulk.failed", { count: job.failed })
                      : t("home.bulk.done")}
                </Badge>
              </InlineStack>
            ))}
          </BlockStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}

/** Queue health and the Admin API budget in use. */
function JobsAndBudgetCards({ summary }: { summary: Summary }) {
  const { t } = useTranslation();
  const { jobs, budget } = summary;
  const slow = jobs.oldestWaitSeconds > SLOW_QUEUE_SECONDS;
  return (
    <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            {t("home.jobs.title")}
          </Text>
          {/* Jobs due now apart from those set for later (a retry's backoff, a timer): only the
              former say whether the worker keeps up, and the sentence speaks of that row alone. */}
          <CountRow label={t("home.jobs.due")} count={jobs.due} tone="info" />
          <CountRow label={t("home.jobs.later")} count={jobs.queued - jobs.due} tone="info" />
          <CountRow label={t("home.jobs.running")} count={jobs.running} tone="info" />
          <CountRow label={t("home.jobs.failed")} count={jobs.failed} tone="critical" />
          <Text as="p" tone={slow ? "critical" : "subdued"}>
            {jobs.due === 0
              ? t("home.jobs.keepingUp")
              : slow
                ? t("home.jobs.oldestWait", { seconds: jobs.oldestWaitSeconds })
                : t("home.jobs.dueRecently")}
          </Text>
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd" id="budget-heading">
            {t("home.budget.title")}
          </Text>
          <ProgressMeter
            progress={budget.inUsePercent}
            tone={budget.inUsePercent > 80 ? "critical" : "primary"}
            ariaLabelledBy="budget-heading"
          />
          <Text as="p">
            {t("home.budget.inUse", {
              used: budget.maximum - budget.available,
              maximum: budget.maximum,
              rate: budget.restoreRate,
            })}
          </Text>
          <Text as="p" tone="subdued">
            {budget.known ? t("home.budget.known") : t("home.budget.assumed")}
          </Text>
        </BlockStack>
      </Card>
    </InlineGrid>
  );
}

/** What happens when no rule matches, and the shop the app is connected to. */
function DefaultsCard({ summary }: { summary: Summary }) {
  const { t } = useTranslation();
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {t("home.defaults.title")}
        </Text>
        <Text as="p">
          {t("home.defaults.lead")}{" "}
          {summary.defaultMode === "automatic" ? (
            <Badge tone="success">{t("home.defaults.automatic")}</Badge>
          ) : (
            <Badge tone="attention">{t("home.defaults.manual")}</Badge>
          )}
        </Text>
        <Text as="p" tone="subdued">
          {t("home.defaults.connected", { shop: summary.shop })}
        </Text>
      </BlockStack>
    </Card>
  );
}

export default function Home() {
  const summary = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  // Each card (or row of cards) sits in a Suspense boundary of its own; nothing in them suspends
  // and the server renders them whole, no fallback and no layout shift. React hydrates the page
  // around them first and each card after, so a tap on a card while the page still hydrates
  // (Open the review queue) makes React hydrate that card there and then, not the whole page;
  // the cards say their own words, so their translating is theirs too.

  return (
    <Page>
      <TitleBar title={t("app.name")} />
      <BlockStack gap="400">
        <Text as="h1" variant="headingLg" visuallyHidden>
          {t("app.name")}
        </Text>
        <Layout>
          {summary.lapsing.count > 0 ? (
            <Layout.Section>
              <Suspense>
                <LapsingCard lapsing={summary.lapsing} now={summary.renderedAt} />
              </Suspense>
            </Layout.Section>
          ) : null}
          <Layout.Section>
            <Suspense>
              <Stats summary={summary} />
            </Suspense>
          </Layout.Section>

          <Layout.Section>
            <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
              <Suspense>
                <TodayCard summary={summary} />
              </Suspense>
              <Suspense>
                <NowCard summary={summary} />
              </Suspense>
            </InlineGrid>
          </Layout.Section>

          <Layout.Section>
            <Suspense>
              <DecisionsCard days={summary.decisionsByDay} />
            </Suspense>
          </Layout.Section>

          <Layout.Section>
            <Suspense>
              <JobsAndBudgetCards summary={summary} />
            </Suspense>
          </Layout.Section>

          <Layout.Section>
            <Suspense>
              <DefaultsCard summary={summary} />
            </Suspense>
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}
