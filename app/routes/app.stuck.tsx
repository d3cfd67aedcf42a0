// The Stuck and Drift views: requests that stand still and places where a lab and Shopify
// disagree, with age, lab and evidence, one-click and bulk repair, and the monitor's settings.
/* eslint-disable no-restricted-syntax, i18next/no-literal-string -- the words of this screen are kept together in WORDS below, not yet in app/i18n/locales (English only until they move there) */
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import {
  Form,
  Link as RemixLink,
  useActionData,
  useLoaderData,
  useNavigation,
} from "@remix-run/react";
import { useState } from "react";
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
import { authenticate } from "../shopify.server";
import { gatewayForShop } from "../fulfilment/gateways.server";
import { startBulkJob } from "../fulfilment/bulk.server";
import { readLocations, recordLabReport } from "../fulfilment/drift.server";
import { markResolved, runRepair, scanAndRepair } from "../fulfilment/repair.server";
import { jobQueue } from "../jobs/embedded-worker.server";
import {
  findingCounts,
  listFindings,
  loadMonitorSettings,
  saveMonitorSettings,
  type FindingView,
} from "../services/findings.server";
import { staffName } from "../services/queue.server";

// Merchant-facing words, together for the i18n catalogue.
const WORDS = {
  title: "Stuck and drift",
  stuckTab: (n: number) => `Stuck (${n})`,
  driftTab: (n: number) => `Drift (${n})`,
  scan: "Check now",
  lastScan: (at: string | null) =>
    at ? `Last checked ${new Date(at).toLocaleString("en-US")}` : "Not checked yet",
  emptyStuck: "No stuck requests",
  emptyStuckBody: "Every request to a lab was answered in time.",
  emptyDrift: "No drift",
  emptyDriftBody: "What the labs said agrees with Shopify.",
  order: "Order",
  lab: "Lab",
  age: "Age",
  problem: "What is wrong",
  evidence: "Evidence",
  shopifySays: "Shopify",
  labSays: "Lab",
  repair: "Repair",
  reroute: "Re-route",
  rerouteTo: "Re-route to",
  resolve: "Mark resolved",
  bulkRepair: "Repair selected",
  noPath: "No repair through Shopify's API",
  settings: "Monitor settings",
  requestHours: "A request is stuck when not accepted after (hours)",
  cancellationHours: "A cancellation is stuck when not answered after (hours)",
  driftRepair: "When drift is found",
  driftRepairAutomatic: "Repair it automatically",
  driftRepairMerchant: "Wait for me",
  save: "Save",
  saved: "Settings saved.",
  record: "Record what a lab told you",
  recordOrder: "Order (e.g. #1001)",
  recordStatus: "The lab says",
  recordShipped: "Shipped",
  recordInProduction: "In production",
  recordCancelled: "Cancelled",
  recordCompany: "Carrier",
  recordNumber: "Tracking number",
  recordSave: "Record",
  recorded: "Recorded. The next check compares it with Shopify.",
  noLabOrder: "No fulfillment order of that order is at a lab.",
  status: {
    open: { label: "Open", tone: "warning" },
    repairing: { label: "Repairing", tone: "info" },
    waiting: { label: "Waiting for the lab", tone: "attention" },
    failed: { label: "Repair stopped", tone: "critical" },
  } as Record<string, { label: string; tone: "warning" | "info" | "attention" | "critical" }>,
};

type View = "stuck" | "drift";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const view: View = url.searchParams.get("view") === "drift" ? "drift" : "stuck";
  const now = new Date();
  const [findings, counts, settings] = await Promise.all([
    listFindings(db, session.shop, view, now),
    findingCounts(db, session.shop),
    loadMonitorSettings(db, session.shop),
  ]);
  // Places a stuck request can go instead, read from Shopify only when something is stuck.
  const locations =
    view === "stuck" && findings.length > 0
      ? (await readLocations(await gatewayForShop(session.shop))).map((l) => ({
          id: l.id,
          name: l.name,
          lab: l.fulfillmentServiceHandle !== null,
        }))
      : [];
  return { view, findings, counts, settings, locations };
};

type ActionResult = { ok: boolean; message: string; errors?: Record<string, string> };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken, redirect } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const actor = staffName(session, sessionToken);
  const reply = (result: ActionResult, status = 200) => data<ActionResult>(result, { status });
  const deps = async () => ({
    db,
    gateway: await gatewayForShop(session.shop),
    now: () => new Date(),
  });

  if (intent === "scan") {
    const r = await scanAndRepair(await deps(), session.shop);
    return reply({
      ok: true,
      message: `${r.stuck} stuck, ${r.drift} drifted${r.repaired ? `, ${r.repaired} repaired` : ""}.`,
    });
  }
  if (intent === "repair") {
    const findingId = String(form.get("findingId") ?? "");
    const locationId = String(form.get("locationId") ?? "");
    let to;
    if (locationId) {
      const d = await deps();
      const l = (await readLocations(d.gateway)).find((x) => x.id === locationId);
      if (!l) return reply({ ok: false, message: "That location is not active." }, 422);
      to = { locationId: l.id, name: l.name, fulfillmentServiceHandle: l.fulfillmentServiceHandle };
    }
    const r = await runRepair(await deps(), session.shop, findingId, { to, actor });
    return reply({ ok: r.ok, message: r.message }, r.ok ? 200 : 422);
  }
  if (intent === "bulk-repair") {
    const ids = form.getAll("findingId").map(String).filter(Boolean);
    const rows = await db.finding.findMany({
      where: { shop: session.shop, id: { in: ids } },
      select: { id: true, orderName: true, labName: true },
    });
    if (rows.length === 0) return reply({ ok: false, message: "Select at least one order" }, 422);
    const id = await startBulkJob(db, jobQueue(), {
      shop: session.shop,
      action: "repair",
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
    return reply({ ok, message: ok ? "Marked resolved." : "No such finding." }, ok ? 200 : 404);
  }
  if (intent === "settings") {
    const r = await saveMonitorSettings(db, session.shop, {
      stuckRequestAfterHours: form.get("stuckRequestAfterHours"),
      stuckCancellationAfterHours: form.get("stuckCancellationAfterHours"),
      driftRepair: form.get("driftRepair"),
    });
    return r.ok
      ? reply({ ok: true, message: WORDS.saved })
      : reply({ ok: false, message: "Check the fields.", errors: r.errors }, 422);
  }
  if (intent === "record") {
    const orderName = String(form.get("orderName") ?? "").trim();
    const status = String(form.get("status") ?? "");
    if (!["shipped", "in_production", "cancelled"].includes(status))
      return reply(
        { ok: false, message: "Choose what the lab says.", errors: { status: "Choose one" } },
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
        { ok: false, message: WORDS.noLabOrder, errors: { orderName: WORDS.noLabOrder } },
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
      ? reply({ ok: true, message: WORDS.recorded })
      : reply({ ok: false, message: r.message }, 422);
  }
  return reply({ ok: false, message: "Unknown action" }, 422);
};

function Evidence({ finding }: { finding: FindingView }) {
  return (
    <BlockStack gap="100">
      {finding.evidence.lab.map((line) => (
        <Text as="p" variant="bodySm" key={`l${line}`}>
          <Text as="span" fontWeight="semibold">
            {WORDS.labSays}:
          </Text>{" "}
          {line}
        </Text>
      ))}
      {finding.evidence.shopify.map((line) => (
        <Text as="p" variant="bodySm" key={`s${line}`}>
          <Text as="span" fontWeight="semibold">
            {WORDS.shopifySays}:
          </Text>{" "}
          {line}
        </Text>
      ))}
    </BlockStack>
  );
}

function RepairCell({
  finding,
  locations,
  busy,
}: {
  finding: FindingView;
  locations: { id: string; name: string; lab: boolean }[];
  busy: boolean;
}) {
  const [to, setTo] = useState(finding.repair?.to.locationId ?? "");
  const stuck = locations.length > 0;
  const options = locations.map((l) => ({ label: l.name, value: l.id }));
  return (
    <BlockStack gap="200">
      {finding.message ? (
        <Text as="p" variant="bodySm" tone={finding.status === "failed" ? "critical" : "subdued"}>
          {finding.message}
        </Text>
      ) : null}
      {finding.advice ? (
        <Text as="p" variant="bodySm" tone="subdued">
          {finding.advice}
        </Text>
      ) : null}
      <InlineStack gap="200" blockAlign="end" wrap={false}>
        {finding.repair ? (
          <Form method="post">
            <input type="hidden" name="findingId" value={finding.id} />
            <input type="hidden" name="intent" value="repair" />
            <InlineStack gap="200" blockAlign="end" wrap={false}>
              {stuck ? (
                <Select
                  label={`${WORDS.rerouteTo} (${finding.orderName})`}
                  labelHidden
                  name="locationId"
                  options={options}
                  value={to}
                  onChange={setTo}
                />
              ) : null}
              <Button
                submit
                variant="primary"
                loading={busy}
                accessibilityLabel={`${stuck ? WORDS.reroute : WORDS.repair} ${finding.orderName}`}
              >
                {stuck ? WORDS.reroute : WORDS.repair}
              </Button>
            </InlineStack>
          </Form>
        ) : (
          <Text as="span" variant="bodySm" tone="subdued">
            {WORDS.noPath}
          </Text>
        )}
        <Form method="post">
          <input type="hidden" name="findingId" value={finding.id} />
          <input type="hidden" name="intent" value="resolve" />
          <Button submit accessibilityLabel={`${WORDS.resolve} ${finding.orderName}`}>
            {WORDS.resolve}
          </Button>
        </Form>
      </InlineStack>
    </BlockStack>
  );
}

export default function StuckAndDrift() {
  const { view, findings, counts, settings, locations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busyId =
    navigation.state !== "idle" && navigation.formData?.get("intent") === "repair"
      ? String(navigation.formData.get("findingId"))
      : null;
  const scanning = navigation.state !== "idle" && navigation.formData?.get("intent") === "scan";
  const { selectedResources, allResourcesSelected, handleSelectionChange } =
    useIndexResourceState(findings);
  const tabs = [
    { id: "stuck", content: WORDS.stuckTab(counts.stuck), url: "/app/stuck?view=stuck" },
    { id: "drift", content: WORDS.driftTab(counts.drift), url: "/app/stuck?view=drift" },
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
      <TitleBar title={WORDS.title} />
      <BlockStack gap="400">
        <Text as="h1" variant="headingLg" visuallyHidden>
          {WORDS.title}
        </Text>
        {result ? (
          <Banner tone={result.ok ? "success" : "critical"}>
            <p>{result.message}</p>
          </Banner>
        ) : null}
        <Layout>
          <Layout.Section>
            <Card padding="0">
              <Tabs tabs={tabs} selected={view === "drift" ? 1 : 0}>
                <Box padding="300">
                  <InlineStack align="space-between" blockAlign="center">
                    <Text as="p" tone="subdued">
                      {WORDS.lastScan(settings.scannedAt)}
                    </Text>
                    <InlineStack gap="200">
                      <Form method="post">
                        {selectedResources.map((id) => (
                          <input type="hidden" name="findingId" value={id} key={id} />
                        ))}
                        <input type="hidden" name="intent" value="bulk-repair" />
                        <Button submit disabled={selectedResources.length === 0}>
                          {WORDS.bulkRepair}
                        </Button>
                      </Form>
                      <Form method="post">
                        <input type="hidden" name="intent" value="scan" />
                        <Button submit loading={scanning}>
                          {WORDS.scan}
                        </Button>
                      </Form>
                    </InlineStack>
                  </InlineStack>
                </Box>
                {findings.length === 0 ? (
                  <EmptyState
                    heading={view === "stuck" ? WORDS.emptyStuck : WORDS.emptyDrift}
                    image=""
                  >
                    <p>{view === "stuck" ? WORDS.emptyStuckBody : WORDS.emptyDriftBody}</p>
                  </EmptyState>
                ) : (
                  <IndexTable
                    resourceName={{ singular: "order", plural: "orders" }}
                    itemCount={findings.length}
                    selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
                    onSelectionChange={handleSelectionChange}
                    headings={[
                      { title: WORDS.order },
                      { title: WORDS.lab },
                      { title: WORDS.age },
                      { title: WORDS.problem },
                      { title: WORDS.evidence },
                      { title: WORDS.repair },
                    ]}
                  >
                    {findings.map((f, index) => {
                      const badge = WORDS.status[f.status];
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
                          <IndexTable.Cell>{f.labName ?? "—"}</IndexTable.Cell>
                          <IndexTable.Cell>{f.age}</IndexTable.Cell>
                          <IndexTable.Cell>
                            <BlockStack gap="100">
                              <Text as="p" variant="bodyMd">
                                {f.summary}
                              </Text>
                              {badge ? <Badge tone={badge.tone}>{badge.label}</Badge> : null}
                            </BlockStack>
                          </IndexTable.Cell>
                          <IndexTable.Cell>
                            <Evidence finding={f} />
                          </IndexTable.Cell>
                          <IndexTable.Cell>
                            <RepairCell
                              finding={f}
                              locations={view === "stuck" ? locations : []}
                              busy={busyId === f.id}
                            />
                          </IndexTable.Cell>
                        </IndexTable.Row>
                      );
                    })}
                  </IndexTable>
                )}
              </Tabs>
            </Card>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <BlockStack gap="400">
              <Card>
                <Form method="post">
                  <FormLayout>
                    <Text as="h2" variant="headingMd">
                      {WORDS.settings}
                    </Text>
                    <TextField
                      label={WORDS.requestHours}
                      name="stuckRequestAfterHours"
                      type="number"
                      autoComplete="off"
                      value={hoursRequest}
                      onChange={setHoursRequest}
                      error={result?.errors?.stuckRequestAfterHours}
                    />
                    <TextField
                      label={WORDS.cancellationHours}
                      name="stuckCancellationAfterHours"
                      type="number"
                      autoComplete="off"
                      value={hoursCancel}
                      onChange={setHoursCancel}
                      error={result?.errors?.stuckCancellationAfterHours}
                    />
                    <Select
                      label={WORDS.driftRepair}
                      name="driftRepair"
                      options={[
                        { label: WORDS.driftRepairMerchant, value: "merchant" },
                        { label: WORDS.driftRepairAutomatic, value: "automatic" },
                      ]}
                      value={repairMode}
                      onChange={setRepairMode}
                    />
                    <input type="hidden" name="intent" value="settings" />
                    <Button submit>{WORDS.save}</Button>
                  </FormLayout>
                </Form>
              </Card>
              {view === "drift" ? (
                <Card>
                  <Form method="post">
                    <FormLayout>
                      <Text as="h2" variant="headingMd">
                        {WORDS.record}
                      </Text>
                      <TextField
                        label={WORDS.recordOrder}
                        name="orderName"
                        autoComplete="off"
                        value={recordOrder}
                        onChange={setRecordOrder}
                        error={result?.errors?.orderName}
                      />
                      <Select
                        label={WORDS.recordStatus}
                        name="status"
                        options={[
                          { label: WORDS.recordShipped, value: "shipped" },
                          { label: WORDS.recordInProduction, value: "in_production" },
                          { label: WORDS.recordCancelled, value: "cancelled" },
                        ]}
                        value={recordStatus}
                        onChange={setRecordStatus}
                      />
                      <TextField
                        label={WORDS.recordCompany}
                        name="trackingCompany"
                        autoComplete="off"
                        value={recordCompany}
                        onChange={setRecordCompany}
                      />
                      <TextField
                        label={WORDS.recordNumber}
                        name="trackingNumber"
                        autoComplete="off"
                        value={recordNumber}
                        onChange={setRecordNumber}
                      />
                      <input type="hidden" name="intent" value="record" />
                      <Button submit>{WORDS.recordSave}</Button>
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
