// One order: its fulfillment orders live from Shopify, what the app decided and why, notes, and the
// actions its state allows, each run through the executor (runCommand).
import { useEffect, useState } from "react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { isRouteErrorResponse, useFetcher, useLoaderData, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  InlineStack,
  Layout,
  Page,
  Text,
} from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { useTranslation } from "react-i18next";
import { localeOf, translatorFor } from "../i18n/i18next.server";
import { renderFieldErrors, renderWords } from "../i18n/words";
import db from "../db.server";
import { authenticate } from "../shopify.server";
import { postedForm } from "../utils/form.server";
import { gatewayForShop } from "../gateways.server";
import { runCommand } from "../fulfilment/commands.server";
import { loadSettings } from "../fulfilment/shop-config.server";
import { parseRemakeForm, remakeOrder, stepFailedWords } from "../fulfilment/remake.server";
import { parseSelfFulfillForm, selfFulfill } from "../fulfilment/self-fulfill.server";
import { SelfFulfillCard, type SelfFulfillAnswer } from "../components/fulfill/SelfFulfillCard";
import {
  addNote,
  belongsToOrder,
  isShopsOrder,
  loadOrderDetail,
  orderGid,
  orderNumberSchema,
  parseOrderCommand,
} from "../services/order-detail.server";
import { addFulfillmentOrderNote } from "../services/fulfillment-order-notes.server";
import { rerouteConfirmation } from "../services/extension-api.server";
import { repairsOfOrder } from "../fulfilment/placed-by-repair.server";
import { staffName } from "../services/staff.server";
import {
  FulfillmentOrderCard,
  type FulfillmentOrderCommand,
} from "../components/order/FulfillmentOrderCard";
import { DecisionTrace } from "../components/order/DecisionTrace";
import { NotesCard } from "../components/order/NotesCard";
import { Timeline } from "../components/order/Timeline";
import { PackingSlipButton } from "../components/order/PackingSlipButton";
import { OrderExportCard } from "../components/order/OrderExportCard";
import { CancelOrderCard } from "../components/after-sales/CancelOrderCard";
import { TimeLeft } from "../components/deadlines/TimeLeft";
import { RemakeCard, type RemakeAnswer } from "../components/after-sales/RemakeCard";
import type { ActionNotice } from "../components/after-sales/useActionAnswer";
import { CancelLinesCard } from "../components/after-sales/CancelLinesCard";
import { ExtraChargeCard } from "../components/after-sales/ExtraChargeCard";
import { extraChargesOf } from "../fulfilment/extra-charge.server";
import { answerExtraCharge } from "../services/extra-charge.server";
import { answerCancelLines } from "../services/cancel-lines.server";
import { answerCancelOrder } from "../services/cancel-order.server";
import { useFormat } from "../components/order/format";
import { ConfirmModal } from "../components/queue/ConfirmModal";
import { HoldModal } from "../components/queue/HoldModal";
import { NotFoundPage } from "../components/NotFoundPage";
import type { FulfillmentHoldReason } from "../routing/snapshot";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const t = await translatorFor(request);
  const number = orderNumberSchema.safeParse(params.id);
  if (!number.success) throw new Response(t("order.notANumber"), { status: 404 });
  const gateway = await gatewayForShop(session.shop);
  let detail;
  try {
    detail = await loadOrderDetail(
      { db, gateway },
      { shop: session.shop, orderNumber: number.data, now: new Date() },
    );
  } catch (error) {
    throw new Response(
      t("order.shopifyDidNotAnswer", {
        error: error instanceof Error ? error.message : String(error),
      }),
      { status: 502 },
    );
  }
  if (!detail) throw new Response(t("order.noSuchOrder"), { status: 404 });
  const notifyDefault = (await loadSettings(db, session.shop)).notifyCustomer;
  const extraCharges = await extraChargesOf(db, session.shop, orderGid(number.data));
  // Route again hands work a repair placed back to the rules: asked first, in the order block's words.
  const repairs = await repairsOfOrder(db, session.shop, orderGid(number.data));
  const rerouteConfirm = rerouteConfirmation(
    t,
    repairs.map((r) => r.toName),
  );
  return { detail, notifyDefault, extraCharges, rerouteConfirm };
};

/** A form's errors by field, in the admin's language. */
type FieldMessages = Record<string, string>;

type ActionResult =
  | { intent: "command"; ok: boolean; message: string; errors?: FieldMessages }
  | { intent: "note"; ok: true }
  | { intent: string; ok: false; errors: FieldMessages };

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const t = await translatorFor(request);
  const number = orderNumberSchema.safeParse(params.id);
  if (!number.success) throw new Response(t("order.notANumber"), { status: 404 });
  const orderId = orderGid(number.data);
  const gateway = await gatewayForShop(session.shop);
  // Another shop's order id is no order here: nothing is written or sent for it.
  const ours = await isShopsOrder({ db, gateway }, session.shop, orderId).catch((error) => {
    throw new Response(
      t("order.shopifyDidNotAnswer", {
        error: error instanceof Error ? error.message : String(error),
      }),
      { status: 502 },
    );
  });
  if (!ours) throw new Response(t("order.noSuchOrder"), { status: 404 });
  const form = await postedForm(request);
  const intent = String(form.get("intent") ?? "");
  const actor = staffName(session, sessionToken);

  if (intent === "note") {
    const added = await addNote(db, { shop: session.shop, orderId, author: actor, form });
    return added.ok
      ? data<ActionResult>({ intent, ok: true })
      : data<ActionResult>(
          { intent, ok: false, errors: renderFieldErrors(t, added.errors) },
          { status: 422 },
        );
  }
  if (intent === "fulfillmentOrderNote") {
    const added = await addFulfillmentOrderNote(
      { db, gateway },
      { shop: session.shop, orderId, author: actor, form },
    );
    const errors = added.ok ? {} : { [added.error]: t(`orderlog.notes.errors.${added.error}`) };
    return data({ intent, ok: added.ok, errors }, { status: added.ok ? 200 : 422 });
  }
  if (intent === "command") {
    const settings = await loadSettings(db, session.shop);
    const command = parseOrderCommand(form, orderId, { notifyCustomer: settings.notifyCustomer });
    if (!command.ok) {
      const errors = renderFieldErrors(t, command.errors);
      const message = Object.values(errors).join(" ");
      return data<ActionResult>({ intent, ok: false, message, errors }, { status: 422 });
    }
    if (!(await belongsToOrder(db, session.shop, orderId, command.value))) {
      const errors = { fulfillmentOrderId: t("order.notThisOrders") };
      return data<ActionResult>(
        { intent, ok: false, message: errors.fulfillmentOrderId, errors },
        { status: 422 },
      );
    }
    try {
      const result = await runCommand(
        { db, gateway, now: () => new Date() },
        { shop: session.shop, actor },
        command.value,
      );
      return data<ActionResult>({
        intent,
        ok: result.ok,
        message: renderWords(t, result.message),
      });
    } catch (error) {
      // Throttling that outlasted the retries, a timeout: the merchant can try again.
      const message = t("order.shopifyTimedOut", {
        error: error instanceof Error ? error.message : String(error),
      });
      return data<ActionResult>({ intent, ok: false, message }, { status: 502 });
    }
  }
  if (intent === "cancel") {
    const { answer, status } = await answerCancelOrder(
      { db, gateway, now: () => new Date() },
      t,
      { shop: session.shop, actor },
      orderId,
      form,
    );
    return data(answer, { status });
  }
  if (intent === "cancelLines") {
    const { answer, status } = await answerCancelLines(
      { db, gateway, now: () => new Date() },
      t,
      { shop: session.shop, actor },
      orderId,
      form,
      await localeOf(request),
    );
    return data(answer, { status });
  }
  if (intent === "remake") {
    const parsed = parseRemakeForm(form);
    if (!parsed.ok) {
      const errors = Object.fromEntries(
        (Object.keys(parsed.errors) as (keyof typeof parsed.errors)[]).map((field) => [
          field,
          t(`afterSales.remake.errors.${field}`),
        ]),
      ) as RemakeAnswer["errors"];
      return data<RemakeAnswer>(
        { intent, ok: false, message: Object.values(errors ?? {}).join(" "), errors },
        { status: 422 },
      );
    }
    try {
      const result = await remakeOrder(
        { db, gateway, now: () => new Date() },
        { shop: session.shop, actor },
        orderId,
        parsed.value,
      );
      if (result.ok)
        return data<RemakeAnswer>({
          intent,
          ok: true,
          message: t("afterSales.remake.done", {
            replacement: result.replacement.name,
            order: result.original.name,
          }),
          // The original was canceled meanwhile: what to do about the remake is a banner's.
          ...(result.linked
            ? {}
            : {
                notice: {
                  tone: "warning",
                  title: t("afterSales.remake.notLinked.title", { order: result.original.name }),
                  text: t("afterSales.remake.notLinked.text", {
                    replacement: result.replacement.name,
                    order: result.original.name,
                  }),
                },
              }),
        });
      if ("refusal" in result) {
        const { code, ...params } = result.refusal;
        // A refusal is an answer, not a malformed form (like the cancel's): shown beside the action.
        return data<RemakeAnswer>({
          intent,
          ok: false,
          message: t(`afterSales.remake.refusals.${code}`, params),
        });
      }
      const { step, message, draftOrder } = result.failed;
      return data<RemakeAnswer>({
        intent,
        ok: false,
        message: [
          renderWords(t, stepFailedWords(step, message)),
          draftOrder ? t("afterSales.remake.draftLeft", { draft: draftOrder }) : "",
        ]
          .filter(Boolean)
          .join(" "),
      });
    } catch (error) {
      const message = t("order.shopifyTimedOut", {
        error: error instanceof Error ? error.message : String(error),
      });
      return data<RemakeAnswer>({ intent, ok: false, message }, { status: 502 });
    }
  }
  if (intent === "extraCharge") {
    const deps = { db, gateway, now: () => new Date() };
    const { answer, status } = await answerExtraCharge(
      deps,
      t,
      { shop: session.shop, actor },
      orderId,
      form,
      await localeOf(request),
    );
    return data(answer, { status });
  }
  if (intent === "selfFulfill") {
    const fulfillmentOrderId = String(form.get("fulfillmentOrderId") ?? "");
    const parsed = parseSelfFulfillForm(form);
    if (!parsed.ok) {
      const errors = Object.fromEntries(
        parsed.errors.map((field) => [field, t(`fulfill.selfFulfill.errors.${field}`)]),
      );
      return data<SelfFulfillAnswer>(
        { intent, ok: false, fulfillmentOrderId, message: Object.values(errors).join(" "), errors },
        { status: 422 },
      );
    }
    try {
      const result = await selfFulfill(
        { db, gateway, now: () => new Date() },
        { shop: session.shop, actor },
        orderId,
        parsed.value,
      );
      // A refusal is an answer (200), shown in red beside the action, like the cancel's.
      const message = result.ok
        ? t("fulfill.selfFulfill.done", { count: result.fulfilled })
        : "refusal" in result
          ? t(`fulfill.selfFulfill.refusal.${result.refusal}`, { detail: result.detail ?? "" })
          : renderWords(t, result.shopify);
      return data<SelfFulfillAnswer>({ intent, ok: result.ok, fulfillmentOrderId, message });
    } catch (error) {
      const message = t("order.shopifyTimedOut", {
        error: error instanceof Error ? error.message : String(error),
      });
      return data<SelfFulfillAnswer>(
        { intent, ok: false, fulfillmentOrderId, message },
        { status: 502 },
      );
    }
  }
  return data<ActionResult>(
    { intent, ok: false, errors: { intent: t("order.unknownAction") } },
    { status: 422 },
  );
};

type Dialog =
  | { kind: "hold"; fulfillmentOrderId: string; where: string }
  | { kind: "capture" }
  | { kind: "archive" }
  | { kind: "reroute"; body: string }
  | null;

export default function OrderDetail() {
  const { detail, notifyDefault, extraCharges, rerouteConfirm } = useLoaderData<typeof loader>();
  const shopify = useAppBridge();
  const { t } = useTranslation();
  const format = useFormat();
  const command = useFetcher<typeof action>();
  const [failure, setFailure] = useState<string | null>(null);
  // What a done remake or charge leaves the merchant to act on: stays until dismissed.
  const [notice, setNotice] = useState<ActionNotice | null>(null);
  const doneWith = (message: string, left?: ActionNotice) => {
    shopify.toast.show(message);
    setNotice(left ?? null);
  };
  const [dialog, setDialog] = useState<Dialog>(null);

  const running = command.state !== "idle" ? command.formData : null;
  const runningAction = running ? String(running.get("action")) : null;
  const runningTarget = running ? String(running.get("fulfillmentOrderId") ?? "") : null;

  // One toast or banner per answer: success is a toast, a refusal stays on the page in red.
  const result = command.data;
  useEffect(() => {
    if (
      command.state !== "idle" ||
      !result ||
      result.intent !== "command" ||
      !("message" in result)
    )
      return;
    if (result.ok) {
      setFailure(null);
      setDialog(null);
      shopify.toast.show(result.message);
    } else {
      setFailure(result.message);
      setDialog(null);
    }
  }, [result, command.state, shopify]);

  // The command's name is a form field, not words for the merchant.
  const send = (action: string, fields: Record<string, string> = {}) => {
    setFailure(null);
    command.submit({ intent: "command", action, ...fields }, { method: "post" });
  };

  const onFulfillmentOrderCommand =
    (fulfillmentOrderId: string, where: string) => (action: FulfillmentOrderCommand) => {
      if (action === "hold") setDialog({ kind: "hold", fulfillmentOrderId, where });
      else send(action, { fulfillmentOrderId });
    };

  const payment = detail.payment;
  const busy = command.state !== "idle";

  return (
    <Page
      backAction={{ content: t("nav.queue"), url: "/app/queue" }}
      secondaryActions={
        detail.orderActions.reroute
          ? [
              {
                content: t("bulkAction.reroute"),
                loading: runningAction === "reroute",
                disabled: busy && runningAction !== "reroute",
                // Work a repair placed may move: the merchant confirms, as on the order block.
                onAction: () =>
                  rerouteConfirm
                    ? setDialog({ kind: "reroute", body: rerouteConfirm })
                    : send("reroute"),
              },
            ]
          : []
      }
    >
      <TitleBar title={t("order.title", { name: detail.name })} />
      <BlockStack gap="400">
        {/* The title bar shows the name; the heading is for screen readers and the outline. */}
        <Text as="h1" variant="headingLg" visuallyHidden>
          {t("order.title", { name: detail.name })}
        </Text>
        <InlineStack gap="200" blockAlign="center">
          {detail.closed ? <Badge>{t("order.archived")}</Badge> : null}
          {detail.cancelledAt ? <Badge tone="critical">{t("order.cancelled")}</Badge> : null}
          {detail.riskLevel === "HIGH" ? (
            <Badge tone="critical">{t("order.highRisk")}</Badge>
          ) : null}
          {detail.riskLevel === "MEDIUM" ? (
            <Badge tone="warning">{t("order.mediumRisk")}</Badge>
          ) : null}
        </InlineStack>
        {notice ? (
          <Banner tone={notice.tone} title={notice.title} onDismiss={() => setNotice(null)}>
            <p>{notice.text}</p>
          </Banner>
        ) : null}
        {failure ? (
          <Banner tone="critical" title={t("order.notChanged")} onDismiss={() => setFailure(null)}>
            <p>{failure}</p>
          </Banner>
        ) : null}
        {!detail.live ? (
          <Banner tone="warning" title={t("order.lastSeen")}>
            <p>{detail.shopifyError}</p>
          </Banner>
        ) : null}
        <Layout>
          <Layout.Section>
            <BlockStack gap="400">
              {detail.fulfillmentOrders.map((fo) => (
                <FulfillmentOrderCard
                  key={fo.id}
                  fo={fo}
                  busy={runningTarget === fo.id ? (runningAction as FulfillmentOrderCommand) : null}
                  disabled={busy}
                  onCommand={onFulfillmentOrderCommand(fo.id, fo.provider ?? fo.locationName)}
                />
              ))}
              {detail.fulfillmentOrders.map((fo) => (
                <SelfFulfillCard
                  key={`fulfill-${fo.id}`}
                  fo={fo}
                  notifyDefault={notifyDefault}
                  onDone={(message) => shopify.toast.show(message)}
                />
              ))}
              <DecisionTrace decisions={detail.decisions} />
              <NotesCard notes={detail.notes} />
            </BlockStack>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <BlockStack gap="400">
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    {t("order.customer")}
                  </Text>
                  <Text as="p">{detail.customerName ?? t("order.noCustomer")}</Text>
                  <Text as="h3" variant="headingSm">
                    {t("order.shipping")}
                  </Text>
                  <Text as="p" tone={detail.shippingAddress ? undefined : "subdued"}>
                    {detail.shippingAddress
                      ? [detail.shippingAddress.provinceCode, detail.shippingAddress.countryCode]
                          .filter(Boolean)
                          .join(", ")
                      : t("order.noShippingAddress")}
                  </Text>
                  {detail.shippingMethod ? (
                    <Text as="p" tone="subdued">
                      {detail.shippingMethod}
                    </Text>
                  ) : null}
                  {detail.tags.length > 0 ? (
                    <InlineStack gap="100">
                      {detail.tags.map((tag) => (
                        <Badge key={tag}>{tag}</Badge>
                      ))}
                    </InlineStack>
                  ) : null}
                  {detail.note ? (
                    <Text as="p" tone="subdued">
                      {t("order.orderNote", { note: detail.note })}
                    </Text>
                  ) : null}
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="200">
                  <InlineStack align="space-between" blockAlign="center">
                    <Text as="h2" variant="headingMd">
                      {t("order.payment")}
                    </Text>
                    {payment ? (
                      <Badge
                        tone={
                          payment.captured
                            ? "success"
                            : payment.authorizations.length
                              ? "attention"
                              : "warning"
                        }
                      >
                        {format.shopifyWords(payment.status)}
                      </Badge>
                    ) : null}
                  </InlineStack>
                  {payment ? (
                    <>
                      <Text as="p">
                        {t("order.total", {
                          amount: format.money(payment.total.amount, payment.total.currencyCode),
                        })}
                      </Text>
                      {payment.authorizations.map((a) => (
                        <Text as="p" key={a.id}>
                          {a.expiresAt
                            ? t("order.authorizedUntil", {
                                amount: format.money(a.amount, a.currencyCode),
                                expires: format.dateTime(a.expiresAt),
                              })
                            : t("order.authorized", {
                                amount: format.money(a.amount, a.currencyCode),
                              })}
                        </Text>
                      ))}
                      {payment.authorizations.map((a) =>
                        a.deadline ? (
                          <TimeLeft
                            key={`deadline-${a.id}`}
                            lapsesAt={a.deadline.expiresAt}
                            estimated={a.deadline.estimated}
                            warnHours={payment.warnHours}
                            now={payment.now}
                          />
                        ) : null,
                      )}
                      {payment.captured ? (
                        <Text as="p" tone="subdued">
                          {t("order.captured")}
                        </Text>
                      ) : null}
                    </>
                  ) : (
                    <Text as="p" tone="subdued">
                      {t("order.shownWhenShopifyAnswers")}
                    </Text>
                  )}
                  {detail.orderActions.capture ? (
                    <Button
                      onClick={() => setDialog({ kind: "capture" })}
                      loading={runningAction === "capture"}
                      disabled={busy && runningAction !== "capture"}
                    >
                      {t("order.capture")}
                    </Button>
                  ) : null}
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    {t("order.documents")}
                  </Text>
                  {detail.hasPackingSlip ? (
                    <PackingSlipButton orderNumber={detail.orderNumber} orderName={detail.name} />
                  ) : null}
                  {detail.orderActions.archive ? (
                    <Button
                      onClick={() => setDialog({ kind: "archive" })}
                      loading={runningAction === "archive"}
                      disabled={busy && runningAction !== "archive"}
                    >
                      {t("order.archive")}
                    </Button>
                  ) : null}
                  {!detail.hasPackingSlip && !detail.orderActions.archive ? (
                    <Text as="p" tone="subdued">
                      {t("order.nothingToPrint")}
                    </Text>
                  ) : null}
                </BlockStack>
              </Card>
              <OrderExportCard orderNumber={detail.orderNumber} orderName={detail.name} />
              <RemakeCard
                orderName={detail.name}
                cancelled={Boolean(detail.cancelledAt)}
                remakes={detail.remakes}
                onDone={doneWith}
              />
              <ExtraChargeCard
                orderName={detail.name}
                cancelled={Boolean(detail.cancelledAt)}
                // The customer's currency: the charge is made in it (ADR 093).
                currencyCode={payment?.customerCurrencyCode ?? detail.remakes.currencyCode}
                {...extraCharges}
                onDone={doneWith}
              />
              {detail.cancelledAt ? null : (
                <CancelLinesCard
                  orderName={detail.name}
                  orderNumber={detail.orderNumber}
                  lines={detail.cancellable}
                  currencyCode={payment?.customerCurrencyCode ?? detail.remakes.currencyCode}
                  paid={payment?.captured ?? false}
                  hasCustomer={Boolean(detail.customerName)}
                  onDone={(message) => shopify.toast.show(message)}
                />
              )}
              <CancelOrderCard
                orderName={detail.name}
                orderNumber={detail.orderNumber}
                cancelled={Boolean(detail.cancelledAt)}
                paid={payment?.captured ?? false}
                hasCustomer={Boolean(detail.customerName)}
                onDone={(message) => shopify.toast.show(message)}
              />
              <Timeline events={detail.timeline} />
            </BlockStack>
          </Layout.Section>
        </Layout>
      </BlockStack>
      <HoldModal
        open={dialog?.kind === "hold"}
        subject={dialog?.kind === "hold" ? t("order.holdSubject", { where: dialog.where }) : ""}
        loading={runningAction === "hold"}
        errors={
          result && !result.ok && "errors" in result && result.errors ? result.errors : undefined
        }
        onClose={() => setDialog(null)}
        onHold={(reason: FulfillmentHoldReason, note: string) => {
          if (dialog?.kind === "hold")
            send("hold", { fulfillmentOrderId: dialog.fulfillmentOrderId, reason, note });
        }}
      />
      <ConfirmModal
        open={dialog?.kind === "capture"}
        title={t("order.captureTitle", { name: detail.name })}
        body={t("order.captureBody")}
        confirm={t("order.capture")}
        loading={runningAction === "capture"}
        onClose={() => setDialog(null)}
        onConfirm={() => send("capture")}
      />
      <ConfirmModal
        open={dialog?.kind === "archive"}
        title={t("order.archiveTitle", { name: detail.name })}
        body={t("order.archiveBody")}
        confirm={t("order.archive")}
        loading={runningAction === "archive"}
        onClose={() => setDialog(null)}
        onConfirm={() => send("archive")}
      />
      <ConfirmModal
        open={dialog?.kind === "reroute"}
        title={t("order.rerouteTitle", { name: detail.name })}
        body={dialog?.kind === "reroute" ? dialog.body : ""}
        confirm={t("bulkAction.reroute")}
        loading={runningAction === "reroute"}
        onClose={() => setDialog(null)}
        onConfirm={() => send("reroute")}
      />
    </Page>
  );
}

// An order that is not there (not a number, not this shop's, gone from Shopify) and Shopify not
// answering are said on the shared page with a way back (ADR 044), the loader's sentence (in the
// admin's words) as its body; Shopify's auth responses pass on.
export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  if (isRouteErrorResponse(error) && (error.status === 404 || error.status === 502)) {
    const missing = error.status === 404;
    return (
      <NotFoundPage
        title={missing ? t("order.notFound") : t("order.noAnswer")}
        body={typeof error.data === "string" && error.data ? error.data : t("order.noSuchOrder")}
        back={{ content: t("nav.queue"), url: "/app/queue" }}
        tone={missing ? "warning" : "critical"}
      />
    );
  }
  return boundary.error(error);
}
