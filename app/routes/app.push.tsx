// Push to other systems: the addresses that receive each decision and fulfillment event, the
// signing secret (shown, rotated) and the delivery log with "Send again".
import { useEffect, useState } from "react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  IndexTable,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { useTranslation } from "react-i18next";
import db from "../db.server";
import { authenticate } from "../shopify.server";
import { jobQueue } from "../process-queue.server";
import {
  addPushEndpoint,
  loadPushScreen,
  PUSH_ENDPOINTS_MAX,
  removePushEndpoint,
} from "../services/push.server";
import {
  PUSH_HMAC_HEADER,
  rotatePushSecret,
  sendPushAgain,
  type PushEvents,
} from "../fulfilment/push.server";
import { translatorFor } from "../i18n/i18next.server";
import { TableEmptyState } from "../components/TableEmptyState";
import { WrappingCell } from "../components/WrappingCell";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  // The header's name comes with the data: the screen may not import a .server module.
  const t = await translatorFor(request);
  return { ...(await loadPushScreen(db, session.shop, t)), hmacHeader: PUSH_HMAC_HEADER };
};

type ActionResult =
  | { ok: true; done: "added" | "removed" | "rotated" | "sent" }
  | { ok: false; errors: Record<string, string> };

// Another tab or staff member removed it meanwhile (or it is another shop's): said on the screen,
// which a thrown 404 would replace with the bare answer.
const gone = async (request: Request) =>
  data<ActionResult>(
    { ok: false, errors: { form: (await translatorFor(request))("fulfill.push.gone") } },
    { status: 404 },
  );

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const shop = session.shop;
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const now = new Date();
  if (intent === "add") {
    const added = await addPushEndpoint(
      db,
      shop,
      { url: String(form.get("url") ?? ""), events: String(form.get("events") ?? "") },
      now,
    );
    if (!added.ok) {
      const t = await translatorFor(request);
      const errors: Record<string, string> = {};
      if (added.errors.url)
        errors.url = t(`fulfill.push.urlProblem.${added.errors.url}`, { max: PUSH_ENDPOINTS_MAX });
      if (added.errors.events) errors.events = t("fulfill.push.eventsInvalid");
      return data<ActionResult>({ ok: false, errors }, { status: 422 });
    }
    return { ok: true, done: "added" } satisfies ActionResult;
  }
  if (intent === "remove") {
    const removed = await removePushEndpoint(db, shop, String(form.get("id") ?? ""));
    if (!removed) return gone(request);
    return { ok: true, done: "removed" } satisfies ActionResult;
  }
  if (intent === "rotate") {
    await rotatePushSecret(db, shop, now);
    return { ok: true, done: "rotated" } satisfies ActionResult;
  }
  if (intent === "again") {
    const sent = await sendPushAgain(
      { db, queue: jobQueue(), now: () => new Date() },
      shop,
      String(form.get("id") ?? ""),
    );
    if (!sent) return gone(request);
    return { ok: true, done: "sent" } satisfies ActionResult;
  }
  throw new Response("Unknown intent", { status: 400 });
};

const STATUS_TONE: Record<string, "success" | "critical" | "attention"> = {
  delivered: "success",
  failed: "critical",
  pending: "attention",
};

export default function Push() {
  const { secret, secretRotatedAt, endpoints, deliveries, hmacHeader } =
    useLoaderData<typeof loader>();
  const shopify = useAppBridge();
  const { t, i18n } = useTranslation();
  const fetcher = useFetcher<ActionResult>();
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState("all");
  const [showSecret, setShowSecret] = useState(false);
  const [confirmRotate, setConfirmRotate] = useState(false);
  // The address whose Remove was tapped: removing stops its pushes, so it is asked first.
  const [confirmRemove, setConfirmRemove] = useState<string | null>(null);
  const errors = fetcher.data && !fetcher.data.ok ? fetcher.data.errors : {};
  const busy = (intent: string, id?: string) =>
    fetcher.state !== "idle" &&
    fetcher.formData?.get("intent") === intent &&
    (id === undefined || fetcher.formData?.get("id") === id);
  const dateFormat = new Intl.DateTimeFormat(i18n.language, {
    dateStyle: "medium",
    timeStyle: "medium",
    timeZone: "UTC",
  });

  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    if (!fetcher.data.ok) {
      if (fetcher.data.errors.form) {
        shopify.toast.show(fetcher.data.errors.form, { isError: true });
        setConfirmRemove(null);
      }
      return;
    }
    if (fetcher.data.done === "removed") setConfirmRemove(null);
    shopify.toast.show(t(`fulfill.push.done.${fetcher.data.done}`));
    if (fetcher.data.done === "added") setUrl("");
    if (fetcher.data.done === "rotated") {
      setConfirmRotate(false);
      setShowSecret(true);
    }
    // Only when an action finishes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.state, fetcher.data]);

  const submit = (fields: Record<string, string>) => fetcher.submit(fields, { method: "post" });
  const eventOptions = [
    { label: t("fulfill.push.events.all"), value: "all" },
    { label: t("fulfill.push.events.decisions"), value: "decisions" },
    { label: t("fulfill.push.events.fulfillments"), value: "fulfillments" },
  ];

  return (
    <Page backAction={{ content: t("nav.settings"), url: "/app/settings" }}>
      <TitleBar title={t("fulfill.push.title")} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Text as="p" tone="subdued">
              {t("fulfill.push.help", { header: hmacHeader })}
            </Text>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("fulfill.push.addresses")}
                </Text>
                {endpoints.length === 0 ? (
                  <Text as="p" tone="subdued">
                    {t("fulfill.push.noAddresses")}
                  </Text>
                ) : (
                  endpoints.map((e) => (
                    <BlockStack key={e.id} gap="200">
                      <InlineStack align="space-between" blockAlign="center" gap="200">
                        <BlockStack gap="050">
                          <Text as="span" fontWeight="semibold" breakWord>
                            {e.url}
                          </Text>
                          <Text as="span" tone="subdued">
                            {t(`fulfill.push.events.${e.events as PushEvents}`)}
                          </Text>
                        </BlockStack>
                        <Button
                          tone="critical"
                          variant="plain"
                          onClick={() => setConfirmRemove(e.id)}
                          accessibilityLabel={t("fulfill.push.removeAddress", { url: e.url })}
                        >
                          {t("fulfill.push.remove")}
                        </Button>
                      </InlineStack>
                      {confirmRemove === e.id ? (
                        <Banner
                          tone="warning"
                          title={t("fulfill.push.removeTitle", { url: e.url })}
                          action={{
                            content: t("fulfill.push.removeConfirm"),
                            loading: busy("remove", e.id),
                            onAction: () => submit({ intent: "remove", id: e.id }),
                          }}
                          secondaryAction={{
                            content: t("fulfill.push.cancel"),
                            onAction: () => setConfirmRemove(null),
                          }}
                        >
                          <Text as="p">{t("fulfill.push.removeWarning")}</Text>
                        </Banner>
                      ) : null}
                    </BlockStack>
                  ))
                )}
                <fetcher.Form method="post">
                  <input type="hidden" name="intent" value="add" />
                  <BlockStack gap="200">
                    <TextField
                      label={t("fulfill.push.url")}
                      name="url"
                      type="url"
                      autoComplete="off"
                      placeholder={t("fulfill.push.urlPlaceholder")}
                      value={url}
                      onChange={setUrl}
                      error={errors.url}
                      helpText={t("fulfill.push.urlHelp")}
                    />
                    <Select
                      label={t("fulfill.push.eventsLabel")}
                      name="events"
                      options={eventOptions}
                      value={events}
                      onChange={setEvents}
                      error={errors.events}
                    />
                    <InlineStack>
                      <Button submit loading={busy("add")}>
                        {t("fulfill.push.add")}
                      </Button>
                    </InlineStack>
                  </BlockStack>
                </fetcher.Form>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("fulfill.push.secret")}
                </Text>
                {secret ? (
                  <>
                    <Text as="p" tone="subdued">
                      {t("fulfill.push.secretHelp", { header: hmacHeader })}
                    </Text>
                    <InlineStack gap="200" blockAlign="center">
                      <Text as="span" fontWeight="semibold" breakWord>
                        <code data-testid="push-secret">
                          {showSecret ? secret : "••••••••••••"}
                        </code>
                      </Text>
                      <Button variant="plain" onClick={() => setShowSecret((s) => !s)}>
                        {showSecret ? t("fulfill.push.hide") : t("fulfill.push.show")}
                      </Button>
                    </InlineStack>
                    {secretRotatedAt ? (
                      <Text as="p" tone="subdued">
                        {t("fulfill.push.since", {
                          date: dateFormat.format(new Date(secretRotatedAt)),
                        })}
                      </Text>
                    ) : null}
                    {confirmRotate ? (
                      <Banner
                        tone="warning"
                        title={t("fulfill.push.rotateTitle")}
                        action={{
                          content: t("fulfill.push.rotateConfirm"),
                          loading: busy("rotate"),
                          onAction: () => submit({ intent: "rotate" }),
                        }}
                        secondaryAction={{
                          content: t("fulfill.push.cancel"),
                          onAction: () => setConfirmRotate(false),
                        }}
                      >
                        <Text as="p">{t("fulfill.push.rotateWarning")}</Text>
                      </Banner>
                    ) : (
                      <InlineStack>
                        <Button onClick={() => setConfirmRotate(true)}>
                          {t("fulfill.push.rotate")}
                        </Button>
                      </InlineStack>
                    )}
                  </>
                ) : (
                  <Text as="p" tone="subdued">
                    {t("fulfill.push.noSecret")}
                  </Text>
                )}
              </BlockStack>
            </Card>
            <Card padding="0">
              <IndexTable
                resourceName={{
                  singular: t("fulfill.push.delivery"),
                  plural: t("fulfill.push.deliveries"),
                }}
                itemCount={deliveries.length}
                selectable={false}
                emptyState={
                  <TableEmptyState
                    title={t("fulfill.push.emptyTitle")}
                    help={t("fulfill.push.emptyHelp")}
                  />
                }
                headings={[
                  { title: t("fulfill.push.when") },
                  { title: t("fulfill.push.event") },
                  { title: t("fulfill.push.order") },
                  { title: t("fulfill.push.address") },
                  { title: t("fulfill.push.status") },
                  { title: t("fulfill.push.lastAnswer") },
                  { title: t("fulfill.push.again") },
                ]}
              >
                {deliveries.map((d, index) => (
                  <IndexTable.Row id={d.id} key={d.id} position={index}>
                    <IndexTable.Cell>{dateFormat.format(new Date(d.createdAt))}</IndexTable.Cell>
                    <IndexTable.Cell>
                      {t(`fulfill.push.eventName.${d.event as "decision" | "fulfillment"}`)}
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      {d.orderId ? (
                        <Button
                          variant="plain"
                          url={`/app/orders/${d.orderId.replace(/^gid:\/\/shopify\/Order\//, "")}`}
                        >
                          {d.orderName ?? d.orderId.replace(/^gid:\/\/shopify\/Order\//, "")}
                        </Button>
                      ) : null}
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      {/* An address and an error answer wrap in the card, the address anywhere. */}
                      <WrappingCell minWidth="10rem">{d.url}</WrappingCell>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Badge tone={STATUS_TONE[d.status]}>
                        {t(
                          `fulfill.push.statusName.${d.status as "delivered" | "failed" | "pending"}`,
                        )}
                      </Badge>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <WrappingCell minWidth="10rem">
                        {d.lastAttemptAt
                          ? t("fulfill.push.answer", {
                              answer: d.lastStatus ?? d.lastError ?? "",
                              count: d.attempts,
                            })
                          : null}
                      </WrappingCell>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Button
                        loading={busy("again", d.id)}
                        onClick={() => submit({ intent: "again", id: d.id })}
                        accessibilityLabel={t("fulfill.push.sendAgainFor", {
                          order: d.orderName ?? d.id,
                        })}
                      >
                        {t("fulfill.push.sendAgain")}
                      </Button>
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
