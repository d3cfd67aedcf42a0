// The review queue: fulfillment orders awaiting a decision, filtered from the URL, acted on in bulk.
import { Suspense, useCallback, useMemo } from "react";
import {
  data,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
} from "@remix-run/node";
import {
  useActionData,
  useFetcher,
  useLoaderData,
  useNavigation,
  useSearchParams,
  useSubmit,
} from "@remix-run/react";
import { Banner, BlockStack, InlineStack, Layout, Link, List, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { useTranslation } from "react-i18next";
import db from "../db.server";
import { authenticate } from "../shopify.server";
import { localeOf, translatorFor } from "../i18n/i18next.server";
import { postedForm } from "../utils/form.server";
import { startBulkJob } from "../fulfilment/bulk.server";
import { jobQueue } from "../process-queue.server";
import { parseBulkRequest, resolveBulkTargets } from "../services/bulk-targets.server";
import type { FieldErrors } from "../services/field-errors";
import { renderFieldErrors } from "../i18n/words";
import { words } from "../routing/words";
import { readQueueFilters } from "../services/queue-filters.server";
import { loadFilterChoices, loadQueuePage } from "../services/queue-page.server";
import { listRecentlyViewed } from "../services/recently-viewed.server";
import { deleteView, listSavedViews, renameView, saveView } from "../services/saved-views.server";
import { staffName } from "../services/staff.server";
import { QueueFilterBar } from "../components/queue/QueueFilterBar";
import { QueueTable, type BulkSelection } from "../components/queue/QueueTable";
import queueTableStyles from "../components/queue/QueueTable.css?url";
import { VIEW_PARAMS, canonicalViewQuery } from "../services/queue-params";
import type { BulkAction } from "../routing/vocabulary";
import { AUTHORIZATION_WARNING_HOURS } from "../routing";
import { loadSettings } from "../fulfilment/shop-config.server";
import type { FulfillmentHoldReason } from "../routing/snapshot";
import type { RepairedAnswer } from "./app.queue.repaired";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: queueTableStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const { filters, ignored } = readQueueFilters(url.searchParams);
  const now = new Date();
  const [page, choices, views, recent, settings] = await Promise.all([
    loadQueuePage(db, session.shop, filters, {
      after: url.searchParams.get("after"),
      before: url.searchParams.get("before"),
      now,
    }),
    loadFilterChoices(db, session.shop),
    listSavedViews(db, session.shop),
    listRecentlyViewed(db, session.shop),
    loadSettings(db, session.shop),
  ]);
  const deadlines = {
    warnHours: settings.authorizationWarnHours ?? AUTHORIZATION_WARNING_HOURS,
    now: now.toISOString(),
  };
  const invalid = ignored ? renderFieldErrors(await translatorFor(request), ignored) : null;
  // Each row's date in the admin's language, written here: the browser's first date format
  // loads its locale and time zone data, tens of milliseconds of the page's hydration.
  const dateFormat = new Intl.DateTimeFormat(await localeOf(request), {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "UTC",
  });
  const rows = page.rows.map((row) => ({
    ...row,
    placed: dateFormat.format(new Date(row.orderCreatedAt)),
  }));
  return { page: { ...page, rows }, choices, views, recent, invalid, deadlines };
};

type ActionResult =
  { ok: true; intent: string } | { ok: false; intent: string; errors: Record<string, string> };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken, redirect } = await authenticate.admin(request);
  const form = await postedForm(request);
  const intent = String(form.get("intent") ?? "");
  const t = await translatorFor(request);
  const fail = (errors: FieldErrors) =>
    data<ActionResult>(
      { ok: false, intent, errors: renderFieldErrors(t, errors) },
      { status: 422 },
    );

  if (intent === "bulk") {
    const parsed = parseBulkRequest(form);
    if (!parsed.ok) return fail(parsed.errors);
    const plan = await resolveBulkTargets(db, session.shop, parsed.value, new Date());
    if (!plan.ok) return fail(plan.errors);
    const id = await startBulkJob(db, jobQueue(), {
      shop: session.shop,
      action: plan.value.action,
      targets: plan.value.targets,
      options: plan.value.options,
      createdBy: staffName(session, sessionToken),
    });
    return redirect(`/app/bulk/${id}`);
  }
  if (intent === "save-view") {
    const saved = await saveView(db, session.shop, {
      name: form.get("name"),
      query: form.get("query"),
    });
    return saved.ok ? data<ActionResult>({ ok: true, intent }) : fail(saved.errors);
  }
  if (intent === "rename-view") {
    const renamed = await renameView(
      db,
      session.shop,
      String(form.get("id") ?? ""),
      form.get("name"),
    );
    return renamed.ok ? data<ActionResult>({ ok: true, intent }) : fail(renamed.errors);
  }
  if (intent === "delete-view") {
    await deleteView(db, session.shop, String(form.get("id") ?? ""));
    return data<ActionResult>({ ok: true, intent });
  }
  return fail({ intent: words("order.unknownAction") });
};

/** How many match, and the orders the merchant opened last. */
function QueueSummary({
  total,
  recent,
}: {
  total: number;
  recent: { orderId: string; orderNumber: string; orderName: string }[];
}) {
  const { t } = useTranslation();
  return (
    <InlineStack gap="200" blockAlign="center" wrap>
      <Text as="p" tone="subdued">
        {t("queue.matching", { count: total })}
      </Text>
      {recent.length > 0 ? (
        <InlineStack gap="200" blockAlign="center" wrap>
          <Text as="h2" variant="headingSm">
            {t("queue.recentlyViewed")}
          </Text>
          {recent.map((order) => (
            <Link key={order.orderId} url={`/app/orders/${order.orderNumber}`}>
              {order.orderName}
            </Link>
          ))}
        </InlineStack>
      ) : null}
    </InlineStack>
  );
}

export default function ReviewQueue() {
  const { page, choices, views, recent, invalid, deadlines } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams, setSearchParams] = useSearchParams();
  const navigation = useNavigation();
  const submit = useSubmit();
  const viewFetcher = useFetcher<typeof action>();
  const { t } = useTranslation();

  // While a navigation to the queue is under way, the filters show where it is heading.
  const pendingSearch =
    navigation.state === "loading" &&
    !navigation.formMethod &&
    navigation.location.pathname === "/app/queue"
      ? navigation.location.search
      : null;
  const paramsKey = pendingSearch ?? `?${searchParams.toString()}`;
  const params = useMemo(() => {
    const all = new URLSearchParams(paramsKey);
    const kept = new URLSearchParams();
    // Shopify's launch params (host, id_token…) are not part of the queue's state.
    for (const name of VIEW_PARAMS) for (const value of all.getAll(name)) kept.append(name, value);
    return kept;
  }, [paramsKey]);

  const loading = pendingSearch !== null;
  const submitting =
    navigation.state === "submitting" && navigation.formData?.get("intent") === "bulk";

  const onParamsChange = useCallback(
    (next: URLSearchParams, options?: { replace?: boolean }) => {
      const clean = new URLSearchParams();
      for (const name of VIEW_PARAMS)
        for (const value of next.getAll(name)) clean.append(name, value);
      setSearchParams(clean, { replace: options?.replace ?? true, preventScrollReset: true });
    },
    [setSearchParams],
  );

  // Stable callbacks: the table is memoised and draws again only when these or its data change.
  const goTo = useCallback(
    (cursor: "after" | "before", value: string | null) => {
      if (!value) return;
      const next = new URLSearchParams(params);
      next.set(cursor, value);
      setSearchParams(next, { preventScrollReset: false });
    },
    [params, setSearchParams],
  );
  const onNext = useCallback(() => goTo("after", page.next), [goTo, page.next]);
  const onPrevious = useCallback(() => goTo("before", page.previous), [goTo, page.previous]);

  const onBulk = useCallback(
    (
      action: BulkAction,
      selection: BulkSelection,
      options?: { reason: FulfillmentHoldReason; note: string },
    ) => {
      const form = new FormData();
      form.set("intent", "bulk");
      form.set("action", action);
      if ("allMatching" in selection) {
        form.set("allMatching", "1");
        form.set("query", canonicalViewQuery(params));
      } else {
        for (const id of selection.ids) form.append("ids", id);
      }
      if (options) {
        form.set("reason", options.reason);
        form.set("note", options.note);
      }
      submit(form, { method: "post" });
    },
    [params, submit],
  );

  // Which selected orders a repair placed, read as the Route again dialog opens (the dialog names
  // them); an answer for an earlier selection is not shown while the new one is read.
  const repairedFetcher = useFetcher<RepairedAnswer>();
  const { load: loadRepaired } = repairedFetcher;
  const onRerouteAsk = useCallback(
    (selection: BulkSelection) => {
      const query = new URLSearchParams();
      if ("allMatching" in selection) {
        query.set("allMatching", "1");
        query.set("query", canonicalViewQuery(params));
      } else {
        for (const id of selection.ids) query.append("ids", id);
      }
      loadRepaired(`/app/queue/repaired?${query}`);
    },
    [params, loadRepaired],
  );
  const repairedNote =
    repairedFetcher.state === "idle" ? (repairedFetcher.data?.note ?? null) : null;

  const viewForm = (entries: Record<string, string>) => {
    const form = new FormData();
    for (const [key, value] of Object.entries(entries)) form.set(key, value);
    viewFetcher.submit(form, { method: "post" });
  };

  const bulkErrors =
    actionData && !actionData.ok && actionData.intent === "bulk" ? actionData.errors : null;
  const viewErrors = viewFetcher.data && !viewFetcher.data.ok ? viewFetcher.data.errors : null;

  return (
    <Page fullWidth>
      <TitleBar title={t("nav.queue")} />
      <BlockStack gap="400">
        <Text as="h1" variant="headingLg" visuallyHidden>
          {t("nav.queue")}
        </Text>
        {invalid ? (
          <Banner tone="warning" title={t("queue.invalidFilters")}>
            <List>
              {Object.entries(invalid).map(([field, message]) => (
                <List.Item key={field}>
                  {field}: {message}
                </List.Item>
              ))}
            </List>
          </Banner>
        ) : null}
        {bulkErrors ? (
          <Banner tone="critical" title={t("queue.bulkNotStarted")}>
            <List>
              {Object.values(bulkErrors).map((message) => (
                <List.Item key={message}>{message}</List.Item>
              ))}
            </List>
          </Banner>
        ) : null}
        {viewErrors ? (
          <Banner tone="critical" title={t("queue.viewNotSaved")}>
            <List>
              {Object.values(viewErrors).map((message) => (
                <List.Item key={message}>{message}</List.Item>
              ))}
            </List>
          </Banner>
        ) : null}
        <Layout>
          <Layout.Section>
            {/* Hydrates on its own, as the table does (below): not inside a tap on the bar. */}
            <Suspense>
              <QueueSummary total={page.total} recent={recent} />
            </Suspense>
          </Layout.Section>
          <Layout.Section>
            {/* Polaris's Card look without its Card: Card rounds its corners only once its
                breakpoints are read after hydration, and restyling the card then restyled every
                row of the table inside it (its radius is a custom property, which they inherit). */}
            <div className="QueueTable__Card">
              <QueueFilterBar
                params={params}
                choices={choices}
                warnHours={deadlines.warnHours}
                views={views}
                loading={loading}
                onParamsChange={onParamsChange}
                onSaveView={(name, query) => viewForm({ intent: "save-view", name, query })}
                onRenameView={(id, name) => viewForm({ intent: "rename-view", id, name })}
                onDeleteView={(id) => {
                  viewForm({ intent: "delete-view", id });
                  onParamsChange(new URLSearchParams());
                }}
              />
              {/* Its own Suspense boundary (nothing in it suspends; the server renders it whole): a tap
                  on the filter bar while the page hydrates makes React finish hydrating only the
                  page around the table and the bar there and then, the 50 rows after the tap. It
                  holds as long as no tap changes a context above the table before the rows have
                  hydrated: React 18 would then throw their server HTML away and draw them again
                  inside the tap (why Search and filter keeps Polaris's tooltip from its press). */}
              <Suspense>
                <QueueTable
                  // A new page or filter is a new set of rows: the selection starts empty.
                  key={paramsKey}
                  rows={page.rows}
                  deadlines={deadlines}
                  total={page.total}
                  loading={loading}
                  submitting={submitting}
                  hasNext={Boolean(page.next)}
                  hasPrevious={Boolean(page.previous)}
                  onNext={onNext}
                  onPrevious={onPrevious}
                  holdErrors={bulkErrors ?? undefined}
                  onBulk={onBulk}
                  onRerouteAsk={onRerouteAsk}
                  repairedNote={repairedNote}
                />
              </Suspense>
            </div>
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}
