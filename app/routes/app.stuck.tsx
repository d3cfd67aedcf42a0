// The Stuck and Drift views: requests that stand still and places where a lab and Shopify
// disagree, with age, lab and evidence, one-click and bulk repair, Check now (run by the worker,
// its end shown when it comes), and the monitor's settings.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import {
  Form,
  Link as RemixLink,
  useActionData,
  useLoaderData,
  useNavigation,
  useRevalidator,
} from "@remix-run/react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  EmptyState,
  FormLayout,
  IndexTable,
  InlineStack,
  Layout,
  Page,
  Select,
  Tabs,
  Text,
  TextField,
  useIndexResourceState,
} from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import db from "../db.server";
import { choosesLocation } from "../routing/drift";
import { authenticate } from "../shopify.server";
import { postedForm } from "../utils/form.server";
import { translatorFor } from "../i18n/i18next.server";
import { renderWords } from "../i18n/words";
import { WrappingCell } from "../components/WrappingCell";
import { gatewayForShop } from "../gateways.server";
import { startBulkJob } from "../fulfilment/bulk.server";
import { recordLabReport } from "../fulfilment/drift.server";
import { markResolved, runRepair } from "../fulfilment/repair.server";
import { readCheck, requestCheck } from "../fulfilment/drift-check.server";
import { checkInHand, type CheckView } from "../fulfilment/drift-check";
import { jobQueue } from "../process-queue.server";
import {
  findingCounts,
  listFindings,
  loadMonitorSettings,
  loadPicker,
  saveMonitorSettings,
  type FindingView,
  type PickerView,
} from "../services/findings.server";
import { staffName } from "../services/staff.server";

// How each finding's status shows; its words are in the catalogue under stuck.status.
const STATUS_TONE: Record<string, "warning" | "info" | "attention" | "critical"> = {
  open: "warning",
  repairing: "info",
  waiting: "attention",
  failed: "critical",
};

type View = "stuck" | "drift";

/** The bulk job's action id; the bulk report and Home word it as bulkAction.repair (bulkJobWord). */
const REPAIR_JOB = "repair";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const view: View = url.searchParams.get("view") === "drift" ? "drift" : "stuck";
  const now = new Date();
  const [findings, counts, settings, check] = await Promise.all([
    listFindings(db, session.shop, view, now),
    findingCounts(db, session.shop),
    loadMonitorSettings(db, session.shop),
    readCheck(db, session.shop, now),
  ]);
  // Where the one stuck request the merchant is choosing for may go, read from Shopify only for it
  // (each read costs points; a screen of stuck requests reads none). The rest of the screen is the
  // app's own: when Shopify does not answer, it shows with a banner.
  const chooseId = url.searchParams.get("choose");
  const choosing = view === "stuck" ? findings.find((f) => f.id === chooseId) : undefined;
  let picker: PickerView | null = null;
  let shopifyError: string | null = null;
  if (choosing) {
    try {
      picker = await loadPicker(
        { db, gateway: await gatewayForShop(session.shop) },
        session.shop,
        choosing,
      );
    } catch (error) {
      shopifyError = error instanceof Error ? error.message : String(error);
    }
  }
  return { view, findings, counts, settings, picker, shopifyError, check };
};

type ActionResult = {
  ok: boolean;
  message: string;
  errors?: Record<string, string>;
  /** Check now: whether this click started the check or found one already in hand. */
  check?: "started" | "alreadyRunning";
  /** The finding a field error is about (the Re-route picker's row). */
  findingId?: string;
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken, redirect } = await authenticate.admin(request);
  const t = await translatorFor(request);
  const form = await postedForm(request);
  const intent = String(form.get("intent") ?? "");
  const actor = staffName(session, sessionToken);
  const reply = (result: ActionResult, status = 200) => data<ActionResult>(result, { status });
  const deps = async () => ({
    db,
    gateway: await gatewayForShop(session.shop),
    now: () => new Date(),
  });

  if (intent === "scan") {
    // The worker runs the check: a whole shop's calls to Shopify do not fit in admin's request,
    // and a second click while one is in hand starts none (ADR 076). The screen shows its end.
    const r = await requestCheck(
      { db, queue: jobQueue(), now: () => new Date() },
      session.shop,
      actor,
    );
    return reply({
      ok: true,
      message: r.started ? "" : t("stuck.check.alreadyRunning"),
      check: r.started ? "started" : "alreadyRunning",
    });
  }
  // A finding of another shop (or none) is not found: 404, and nothing runs.
  const ownFindings = (ids: string[]) =>
    db.finding.findMany({
      where: { shop: session.shop, id: { in: ids } },
      select: { id: true, orderName: true, labName: true },
    });
  const notFound = () => reply({ ok: false, message: t("stuck.result.noSuchFinding") }, 404);

  if (intent === "repair") {
    const findingId = String(form.get("findingId") ?? "");
    if ((await ownFindings([findingId])).length === 0) return notFound();
    // The picker's choice; none: the finding's default. Checked against Shopify by the repair.
    const locationId = String(form.get("locationId") ?? "") || undefined;
    const r = await runRepair(await deps(), session.shop, findingId, {
      locationId,
      confirmed: form.get("confirmed") === "1",
      actor,
    });
    const message = renderWords(t, r.message);
    return reply(
      {
        ok: r.ok,
        message,
        ...(r.field ? { errors: { [r.field]: message }, findingId } : {}),
      },
      r.ok ? 200 : 422,
    );
  }
  if (intent === "bulk-repair") {
    const ids = [...new Set(form.getAll("findingId").map(String).filter(Boolean))];
    if (ids.length === 0) return reply({ ok: false, message: t("stuck.result.selectOne") }, 422);
    const rows = await ownFindings(ids);
    // One id the shop does not have and none is started.
    if (rows.length !== ids.length) return notFound();
    const id = await startBulkJob(db, jobQueue(), {
      shop: session.shop,
      action: REPAIR_JOB,
      targets: rows.map((r) => ({ id: r.id, label: `${r.orderName} · ${r.labName ?? ""}` })),
      createdBy: actor,
    });
    return redirect(`/app/bulk/${id}`);
  }
  if (intent === "resolve") {
    const ok = await markResolved(
      await deps(),
      session.shop,
      String(form.get("findingId") ?? ""),
      actor,
    );
    return reply(
      { ok, message: t(ok ? "stuck.result.resolved" : "stuck.result.noSuchFinding") },
      ok ? 200 : 404,
    );
  }
  if (intent === "settings") {
    const r = await saveMonitorSettings(db, session.shop, {
      stuckRequestAfterHours: form.get("stuckRequestAfterHours"),
      stuckCancellationAfterHours: form.get("stuckCancellationAfterHours"),
      driftRepair: form.get("driftRepair"),
    });
    if (r.ok) return reply({ ok: true, message: t("stuck.settings.saved") });
    const errors = Object.fromEntries(
      Object.entries(r.errors).map(([field, what]) => [
        field,
        t(what === "hours" ? "stuck.settings.hoursError" : "stuck.settings.driftRepairError"),
      ]),
    );
    return reply({ ok: false, message: t("stuck.result.checkFields"), errors }, 422);
  }
  if (intent === "record") {
    const orderName = String(form.get("orderName") ?? "").trim();
    const status = String(form.get("status") ?? "");
    if (!["shipped", "in_production", "cancelled"].includes(status))
      return reply(
        {
          ok: false,
          message: t("stuck.record.chooseStatus"),
          errors: { status: t("stuck.record.chooseStatus") },
        },
        422,
      );
    const record = await db.fulfillmentOrderRecord.findFirst({
      where: {
        shop: session.shop,
        orderName: orderName.startsWith("#") ? orderName : `#${orderName}`,
        provider: { not: null },
      },
      orderBy: { updatedAt: "desc" },
    });
    if (!record)
      return reply(
        {
          ok: false,
          message: t("stuck.record.noLabOrder"),
          errors: { orderName: t("stuck.record.noLabOrder") },
        },
        422,
      );
    const number = String(form.get("trackingNumber") ?? "").trim();
    const company = String(form.get("trackingCompany") ?? "").trim();
    const r = await recordLabReport(
      await deps(),
      session.shop,
      {
        fulfillmentOrderId: record.fulfillmentOrderId,
        status: status as "shipped" | "in_production" | "cancelled",
        tracking:
          number || company
            ? { company: company || null, number: number || null, url: null }
            : null,
      },
      actor,
    );
    return r.ok
      ? reply({ ok: true, message: t("stuck.record.saved") })
      : reply({ ok: false, message: renderWords(t, r.message) }, 422);
  }
  return reply({ ok: false, message: t("stuck.result.unknownAction") }, 422);
};

function Evidence({ finding }: { finding: FindingView }) {
  const { t } = useTranslation();
  return (
    <BlockStack gap="100">
      {finding.evidence.lab.map((line, i) => (
        <Text as="p" variant="bodySm" key={`l${i}`}>
          <Text as="span" fontWeight="semibold">
            {t("stuck.labSays")}
          </Text>{" "}
          {renderWords(t, line)}
        </Text>
      ))}
      {finding.evidence.shopify.map((line, i) => (
        <Text as="p" variant="bodySm" key={`s${i}`}>
          <Text as="span" fontWeight="semibold">
            {t("stuck.shopifySays")}
          </Text>{" "}
          {renderWords(t, line)}
        </Text>
      ))}
    </BlockStack>
  );
}

/**
 * Polaris's IndexTable row takes every click inside it for selection and cancels the click's
 * default, which would cancel the submit of a repair button in the row; its controls keep theirs.
 */
function OwnClicks({ children }: { children: React.ReactNode }) {
  return <div onClick={(event) => event.stopPropagation()}>{children}</div>;
}

function RepairCell({
  finding,
  picker,
  reroutes,
  chooses,
  error,
  busy,
}: {
  finding: FindingView;
  /** The Re-route picker, when the merchant opened it on this row. */
  picker: PickerView | null;
  /** A stuck request's repair takes the work elsewhere: it says Re-route. */
  reroutes: boolean;
  /** Whether the merchant may choose where this finding's work goes. */
  chooses: boolean;
  /** Why the chosen location was refused. */
  error: string | undefined;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const stuck = reroutes;
  return (
    <BlockStack gap="200">
      {finding.message ? (
        <Text as="p" variant="bodySm" tone={finding.status === "failed" ? "critical" : "subdued"}>
          {renderWords(t, finding.message)}
        </Text>
      ) : null}
      {finding.advice ? (
        <Text as="p" variant="bodySm" tone="subdued">
          {renderWords(t, finding.advice)}
        </Text>
      ) : null}
      {picker ? (
        <LocationPicker finding={finding} picker={picker} error={error} busy={busy} />
      ) : null}
      <InlineStack gap="200" blockAlign="end">
        {finding.repair && !picker ? (
          <Form method="post">
            <input type="hidden" name="findingId" value={finding.id} />
            <input type="hidden" name="intent" value="repair" />
            <Button
              submit
              variant="primary"
              loading={busy}
              accessibilityLabel={t(stuck ? "stuck.rerouteOrder" : "stuck.repairOrder", {
                order: finding.orderName,
              })}
            >
              {t(stuck ? "stuck.reroute" : "stuck.repair")}
            </Button>
          </Form>
        ) : null}
        {chooses && !picker ? (
          <Button
            url={`?view=stuck&choose=${encodeURIComponent(finding.id)}`}
            accessibilityLabel={t("stuck.pick.chooseLocationOrder", { order: finding.orderName })}
          >
            {t("stuck.pick.chooseLocation")}
          </Button>
        ) : null}
        {!finding.repair && !chooses ? (
          <Text as="span" variant="bodySm" tone="subdued">
            {t("stuck.noPath")}
          </Text>
        ) : null}
        <Form method="post">
          <input type="hidden" name="findingId" value={finding.id} />
          <input type="hidden" name="intent" value="resolve" />
          <Button submit accessibilityLabel={t("stuck.resolveOrder", { order: finding.orderName })}>
            {t("stuck.resolve")}
          </Button>
        </Form>
      </InlineStack>
    </BlockStack>
  );
}

/**
 * Re-route to a location of the merchant's choosing: Shopify's locations for the move, in the
 * merchant's order of preference, the default chosen. One whose profile cannot make the work says
 * why and asks for confirmation; one Shopify would refuse is shown, disabled, with Shopify's reason.
 */
function LocationPicker({
  finding,
  picker,
  error,
  busy,
}: {
  finding: FindingView;
  picker: PickerView;
  error: string | undefined;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const [to, setTo] = useState(picker.selected ?? "");
  const [confirming, setConfirming] = useState(false);
  const chosen = picker.options.find((o) => o.id === to);
  if (picker.options.length === 0)
    return (
      <Text as="p" variant="bodySm" tone="subdued">
        {t("stuck.pick.none")}
      </Text>
    );
  const options = [
    ...(picker.selected ? [] : [{ label: t("stuck.pick.placeholder"), value: "" }]),
    ...picker.options.map((o) => ({
      label: !o.movable
        ? t("stuck.pick.unmovableOption", { location: o.name, message: o.message ?? "" })
        : o.cannotMake
          ? t("stuck.pick.cannotMakeOption", { location: o.name })
          : o.name,
      value: o.id,
      disabled: !o.movable,
    })),
  ];
  const reasons = chosen?.cannotMake ? renderWords(t, chosen.cannotMake) : null;
  return (
    <Form method="post">
      <input type="hidden" name="findingId" value={finding.id} />
      <input type="hidden" name="intent" value="repair" />
      <BlockStack gap="200">
        <Select
          label={t("stuck.rerouteTo", { order: finding.orderName })}
          name="locationId"
          options={options}
          value={to}
          onChange={(value) => {
            setTo(value);
            setConfirming(false);
          }}
          helpText={reasons ? t("stuck.pick.cannotMake", { reasons }) : undefined}
          error={error}
        />
        {confirming && chosen && reasons ? (
          <Banner
            tone="warning"
            title={t("stuck.pick.confirmTitle", {
              order: finding.orderName,
              location: chosen.name,
            })}
          >
            <BlockStack gap="200">
              <p>{t("stuck.pick.confirmBody", { reasons })}</p>
              <input type="hidden" name="confirmed" value="1" />
              <InlineStack gap="200">
                <Button submit variant="primary" tone="critical" loading={busy}>
                  {t("stuck.pick.confirm")}
                </Button>
                <Button onClick={() => setConfirming(false)}>{t("stuck.pick.cancel")}</Button>
              </InlineStack>
            </BlockStack>
          </Banner>
        ) : (
          <InlineStack gap="200">
            {reasons ? (
              <Button
                variant="primary"
                onClick={() => setConfirming(true)}
                accessibilityLabel={t("stuck.rerouteOrder", { order: finding.orderName })}
              >
                {t("stuck.reroute")}
              </Button>
            ) : (
              <Button
                submit
                variant="primary"
                loading={busy}
                disabled={!chosen}
                accessibilityLabel={t("stuck.rerouteOrder", { order: finding.orderName })}
              >
                {t("stuck.reroute")}
              </Button>
            )}
            <Button url="?view=stuck">{t("stuck.pick.cancel")}</Button>
          </InlineStack>
        )}
      </BlockStack>
    </Form>
  );
}

/** How often the screen reads again while a check is in hand. */
const CHECK_POLL_MS = 2_000;

/** The last Check now: in hand (asked when, by whom), what it left, or why it did not finish. */
function CheckBanner({ check, already }: { check: CheckView; already: boolean }) {
  const { t, i18n } = useTranslation();
  const when = (at: string) =>
    new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short" }).format(
      new Date(at),
    );
  if (checkInHand(check))
    return (
      <Banner tone="info" title={t("stuck.check.running.title")}>
        <p>
          {check.requestedBy
            ? t("stuck.check.running.askedBy", {
                at: when(check.requestedAt),
                by: check.requestedBy,
              })
            : t("stuck.check.running.asked", { at: when(check.requestedAt) })}
        </p>
        {already ? <p>{t("stuck.check.alreadyRunning")}</p> : null}
      </Banner>
    );
  const at = when(check.finishedAt ?? check.requestedAt);
  if (check.status === "failed")
    return (
      <Banner tone="critical" title={t("stuck.check.failed.title", { at })}>
        <p>
          {check.error === null
            ? t("stuck.check.failed.lost")
            : t(check.error.shopify ? "stuck.check.failed.shopify" : "stuck.check.failed.app", {
                error: check.error.message,
              })}
        </p>
      </Banner>
    );
  return (
    <Banner tone="success" title={t("stuck.check.done.title", { at })}>
      <p>
        {t(check.repaired ? "stuck.result.scannedRepaired" : "stuck.result.scanned", {
          stuck: check.stuck,
          drift: check.drift,
          repaired: check.repaired,
        })}
      </p>
    </Banner>
  );
}

export default function StuckAndDrift() {
  const { view, findings, counts, settings, picker, shopifyError, check } =
    useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation();
  const age = (hours: number) =>
    hours < 1
      ? t("stuck.ageUnderHour")
      : hours < 48
        ? t("stuck.ageHours", { count: hours })
        : t("stuck.ageDays", { count: Math.floor(hours / 24) });
  const lastScan = settings.scannedAt
    ? t("stuck.lastScan", {
        at: new Intl.DateTimeFormat(i18n.language, {
          dateStyle: "medium",
          timeStyle: "short",
        }).format(new Date(settings.scannedAt)),
      })
    : t("stuck.notScanned");
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busyId =
    navigation.state !== "idle" && navigation.formData?.get("intent") === "repair"
      ? String(navigation.formData.get("findingId"))
      : null;
  const checking = checkInHand(check);
  const scanning =
    checking || (navigation.state !== "idle" && navigation.formData?.get("intent") === "scan");
  // Read the screen again while the check runs: its end and the findings it left show when they come.
  const { revalidate, state: revalidation } = useRevalidator();
  useEffect(() => {
    if (!checking) return;
    const timer = setInterval(() => {
      if (revalidation === "idle") revalidate();
    }, CHECK_POLL_MS);
    return () => clearInterval(timer);
  }, [checking, revalidate, revalidation]);
  const { selectedResources, allResourcesSelected, handleSelectionChange } =
    useIndexResourceState(findings);
  const tabs = [
    {
      id: "stuck",
      content: t("stuck.stuckTab", { count: counts.stuck }),
      url: "/app/stuck?view=stuck",
    },
    {
      id: "drift",
      content: t("stuck.driftTab", { count: counts.drift }),
      url: "/app/stuck?view=drift",
    },
  ];
  const [hoursRequest, setHoursRequest] = useState(String(settings.stuckRequestAfterHours));
  const [hoursCancel, setHoursCancel] = useState(String(settings.stuckCancellationAfterHours));
  const [repairMode, setRepairMode] = useState<string>(settings.driftRepair);
  const [recordStatus, setRecordStatus] = useState("shipped");
  const [recordOrder, setRecordOrder] = useState("");
  const [recordCompany, setRecordCompany] = useState("");
  const [recordNumber, setRecordNumber] = useState("");

  return (
    <Page>
      <TitleBar title={t("stuck.title")} />
      <BlockStack gap="400">
        <Text as="h1" variant="headingLg" visuallyHidden>
          {t("stuck.title")}
        </Text>
        {check ? <CheckBanner check={check} already={result?.check === "alreadyRunning"} /> : null}
        {result?.message && !result.check ? (
          <Banner tone={result.ok ? "success" : "critical"}>
            <p>{result.message}</p>
          </Banner>
        ) : null}
        {shopifyError !== null ? (
          <Banner tone="warning" title={t("stuck.shopifyDidNotAnswer.title")}>
            <p>{t("stuck.shopifyDidNotAnswer.body", { error: shopifyError })}</p>
          </Banner>
        ) : null}
        <Layout>
          <Layout.Section>
            <Card padding="0">
              <Tabs tabs={tabs} selected={view === "drift" ? 1 : 0}>
                <Box padding="300">
                  <InlineStack align="space-between" blockAlign="center">
                    <Text as="p" tone="subdued">
                      {lastScan}
                    </Text>
                    <InlineStack gap="200">
                      <Form method="post">
                        {selectedResources.map((id) => (
                          <input type="hidden" name="findingId" value={id} key={id} />
                        ))}
                        <input type="hidden" name="intent" value="bulk-repair" />
                        <Button submit disabled={selectedResources.length === 0}>
                          {t("stuck.bulkRepair")}
                        </Button>
                      </Form>
                      <Form method="post">
                        <input type="hidden" name="intent" value="scan" />
                        <Button submit loading={scanning}>
                          {t("stuck.scan")}
                        </Button>
                      </Form>
                    </InlineStack>
                  </InlineStack>
                </Box>
                {findings.length === 0 ? (
                  <EmptyState
                    heading={t(view === "stuck" ? "stuck.emptyStuck" : "stuck.emptyDrift")}
                    image=""
                  >
                    <p>{t(view === "stuck" ? "stuck.emptyStuckBody" : "stuck.emptyDriftBody")}</p>
                  </EmptyState>
                ) : (
                  <IndexTable
                    resourceName={{
                      singular: t("stuck.resourceSingular"),
                      plural: t("stuck.resourcePlural"),
                    }}
                    itemCount={findings.length}
                    selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
                    onSelectionChange={handleSelectionChange}
                    headings={[
                      { title: t("stuck.order") },
                      { title: t("stuck.lab") },
                      { title: t("stuck.age") },
                      { title: t("stuck.problem") },
                      { title: t("stuck.evidence") },
                      { title: t("stuck.repair") },
                    ]}
                  >
                    {findings.map((f, index) => {
                      const tone = STATUS_TONE[f.status];
                      return (
                        <IndexTable.Row
                          id={f.id}
                          key={f.id}
                          position={index}
                          selected={selectedResources.includes(f.id)}
                        >
                          <IndexTable.Cell>
                            <RemixLink to={`/app/orders/${encodeURIComponent(f.orderId)}`}>
                              {f.orderName}
                            </RemixLink>
                          </IndexTable.Cell>
                          <IndexTable.Cell>
                            <WrappingCell minWidth="5rem">{f.labName ?? "—"}</WrappingCell>
                          </IndexTable.Cell>
                          <IndexTable.Cell>
                            <WrappingCell minWidth="5rem">{age(f.ageHours)}</WrappingCell>
                          </IndexTable.Cell>
                          <IndexTable.Cell>
                            <WrappingCell minWidth="11rem">
                              <BlockStack gap="100" inlineAlign="start">
                                <Text as="p" variant="bodyMd">
                                  {renderWords(t, f.summary)}
                                </Text>
                                {tone ? (
                                  <Badge tone={tone}>
                                    {t(`stuck.status.${f.status}` as "stuck.status.open")}
                                  </Badge>
                                ) : null}
                              </BlockStack>
                            </WrappingCell>
                          </IndexTable.Cell>
                          <IndexTable.Cell>
                            <WrappingCell minWidth="13rem">
                              <Evidence finding={f} />
                            </WrappingCell>
                          </IndexTable.Cell>
                          <IndexTable.Cell>
                            <WrappingCell minWidth="11rem">
                              <OwnClicks>
                                <RepairCell
                                  finding={f}
                                  picker={picker?.findingId === f.id ? picker : null}
                                  reroutes={view === "stuck"}
                                  chooses={
                                    view === "stuck" && choosesLocation({ ...f, category: view })
                                  }
                                  error={
                                    result?.findingId === f.id
                                      ? result.errors?.locationId
                                      : undefined
                                  }
                                  busy={busyId === f.id}
                                />
                              </OwnClicks>
                            </WrappingCell>
                          </IndexTable.Cell>
                        </IndexTable.Row>
                      );
                    })}
                  </IndexTable>
                )}
              </Tabs>
            </Card>
          </Layout.Section>
          <Layout.Section>
            <BlockStack gap="400">
              <Card>
                <Form method="post">
                  <FormLayout>
                    <Text as="h2" variant="headingMd">
                      {t("stuck.settings.title")}
                    </Text>
                    <TextField
                      label={t("stuck.settings.requestHours")}
                      name="stuckRequestAfterHours"
                      type="number"
                      autoComplete="off"
                      value={hoursRequest}
                      onChange={setHoursRequest}
                      error={result?.errors?.stuckRequestAfterHours}
                    />
                    <TextField
                      label={t("stuck.settings.cancellationHours")}
                      name="stuckCancellationAfterHours"
                      type="number"
                      autoComplete="off"
                      value={hoursCancel}
                      onChange={setHoursCancel}
                      error={result?.errors?.stuckCancellationAfterHours}
                    />
                    <Select
                      label={t("stuck.settings.driftRepair")}
                      name="driftRepair"
                      options={[
                        { label: t("stuck.settings.driftRepairMerchant"), value: "merchant" },
                        { label: t("stuck.settings.driftRepairAutomatic"), value: "automatic" },
                      ]}
                      value={repairMode}
                      onChange={setRepairMode}
                    />
                    <input type="hidden" name="intent" value="settings" />
                    <Button submit>{t("stuck.settings.save")}</Button>
                  </FormLayout>
                </Form>
              </Card>
              {view === "drift" ? (
                <Card>
                  <Form method="post">
                    <FormLayout>
                      <Text as="h2" variant="headingMd">
                        {t("stuck.record.title")}
                      </Text>
                      <TextField
                        label={t("stuck.record.order")}
                        name="orderName"
                        autoComplete="off"
                        value={recordOrder}
                        onChange={setRecordOrder}
                        error={result?.errors?.orderName}
                      />
                      <Select
                        label={t("stuck.record.status")}
                        name="status"
                        options={[
                          { label: t("stuck.record.shipped"), value: "shipped" },
                          { label: t("stuck.record.inProduction"), value: "in_production" },
                          { label: t("stuck.record.canceled"), value: "cancelled" },
                        ]}
                        value={recordStatus}
                        onChange={setRecordStatus}
                      />
                      <TextField
                        label={t("stuck.record.company")}
                        name="trackingCompany"
                        autoComplete="off"
                        value={recordCompany}
                        onChange={setRecordCompany}
                      />
                      <TextField
                        label={t("stuck.record.number")}
                        name="trackingNumber"
                        autoComplete="off"
                        value={recordNumber}
                        onChange={setRecordNumber}
                      />
                      <input type="hidden" name="intent" value="record" />
                      <Button submit>{t("stuck.record.save")}</Button>
                    </FormLayout>
                  </Form>
                </Card>
              ) : null}
            </BlockStack>
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}
