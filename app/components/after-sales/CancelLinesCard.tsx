// The order screen's "Cancel items" action: which quantities, why, where the money goes (in full,
// with the amount Shopify works out shown before confirming, or an amount), restock, whether the
// customer is told; the lab's or Shopify's refusal in red beside it.
import { useEffect, useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Checkbox, ChoiceList, Text, TextField } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import {
  cancelLinesBlock,
  currencyDecimals,
  fitsCurrency,
  LINE_REFUND_CHOICES,
  readTypedAmount,
  typedAmountExample,
  type LineRefundChoice,
} from "../../routing";
import { LineQuantityFields, lineFields } from "./LineQuantityFields";
import { ActionCard } from "./ActionCard";
import { CancelReasonSelect } from "./CancelReasonSelect";
import { useActionAnswer } from "./useActionAnswer";
import { CancelBlockBanner, useCancelCheck } from "./useCancelCheck";
import { useFormat } from "../order/format";
import type { CancelLinesAnswer } from "../../services/cancel-lines.server";

/** How long the chosen quantities stand still before Shopify is asked what a refund in full gives. */
const FULL_REFUND_SETTLE_MS = 400;

/** The order's full-refund route's answer: what refunding the chosen items in full gives back. */
export interface FullRefundAnswer {
  preview: { amount: string; tax: string; currency: string } | null;
  /** Shopify found the order but worked out no refund: a refund in full would be refused so. */
  noSuggestedRefund?: boolean;
}

export interface CancelLinesCardProps {
  orderName: string;
  /** The order's number in its URL, for the amount of a refund in full. */
  orderNumber: string;
  lines: { id: string; title: string; left: number }[];
  currencyCode: string | null;
  /** Whether money was taken (the refund choices are shown only then). */
  paid: boolean;
  hasCustomer: boolean;
  onDone(message: string): void;
}

export function CancelLinesCard({
  orderName,
  orderNumber,
  lines,
  currencyCode,
  paid,
  hasCustomer,
  onDone,
}: CancelLinesCardProps) {
  const { t, i18n } = useTranslation();
  // The admin's language: its decimal separator is the set amount's ("12,50" in German).
  const locale = i18n.language;
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const [reason, setReason] = useState<string>("CUSTOMER");
  const [refund, setRefund] = useState<LineRefundChoice>(paid ? "original" : "none");
  const [amountMode, setAmountMode] = useState<"full" | "amount">("full");
  const [amount, setAmount] = useState("");
  const [restock, setRestock] = useState(true);
  const [notify, setNotify] = useState(true);
  const [staffNote, setStaffNote] = useState("");
  const action = useActionAnswer<CancelLinesAnswer>("cancelLines", onDone, () => setQuantities({}));
  const { errors } = action;
  const format = useFormat();
  const refunding = paid && refund !== "none";

  // A refund in full is what Shopify works out for the chosen items, tax included: asked for
  // whenever the choice changes, so the merchant sees the amount before confirming (ADR 082).
  const full = useFetcher<FullRefundAnswer>();
  // The items the answer in hand was asked for: until the new ones are asked and answered, the
  // amount shown is "working it out", never the last choice's.
  const [askedFor, setAskedFor] = useState<string | null>(null);
  const chosen = lineFields(
    Object.fromEntries(Object.entries(quantities).filter(([, q]) => Number(q) > 0)),
  );
  const asking = refunding && amountMode === "full" && Object.keys(chosen).length > 0;
  const query = new URLSearchParams(chosen).toString();
  // Asked once the quantities have stood still for a moment: each answer costs the shop's bucket
  // about 12 points, and typing "12" or clicking the stepper up five times is one question, not five.
  useEffect(() => {
    if (!asking) return;
    const timer = setTimeout(() => {
      setAskedFor(query);
      full.load(`/app/orders/${orderNumber}/full-refund?${query}`);
    }, FULL_REFUND_SETTLE_MS);
    return () => clearTimeout(timer);
    // full.load is stable enough; asking again for the same items is not needed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [asking, query, orderNumber]);
  const preview = full.data?.preview;
  const fullAmount = !asking
    ? null
    : full.state !== "idle" || full.data === undefined || askedFor !== query
      ? t("afterPayment.cancelLines.fullAmountAsking")
      : full.data.noSuggestedRefund
        ? t("afterPayment.cancelLines.fullAmountNoSuggestion")
        : !preview
          ? t("afterPayment.cancelLines.fullAmountUnknown")
          : Number(preview.tax) > 0
            ? t("afterPayment.cancelLines.fullAmountWithTax", {
                amount: format.money(preview.amount, preview.currency),
                tax: format.money(preview.tax, preview.currency),
              })
            : t("afterPayment.cancelLines.fullAmount", {
                amount: format.money(preview.amount, preview.currency),
              });

  // The amount is in the customer's currency, to its own decimals (3 for a dinar, none for yen):
  // more is said at once, in the words the server uses when it refuses it (ADR 087).
  const typed = readTypedAmount(amount, locale);
  const amountDecimalsError =
    currencyCode && typed && !fitsCurrency(typed, currencyCode)
      ? t("afterPayment.cancelLines.errors.amountDecimals", {
          count: currencyDecimals(currencyCode),
          currency: currencyCode,
          example: typedAmountExample(currencyCode, locale),
        })
      : undefined;

  // What Shopify would refuse the refund for (store credit on a B2B order, a restock at a
  // deactivated location), and what is left to refund, asked when the dialog opens (ADR 095).
  const check = useCancelCheck(orderNumber, true);
  const block = check.facts
    ? cancelLinesBlock(check.facts, {
        refund: paid ? refund : "none",
        restock,
        lineItemIds: Object.keys(quantities).filter((id) => Number(quantities[id]) > 0),
      })
    : null;
  const left = check.left;
  const aboveLeft =
    refunding && amountMode === "amount" && left && typed && Number(typed) > Number(left.amount)
      ? t("afterPayment.cancelLines.errors.amountAboveLeft", {
          left: format.money(left.amount, left.currency),
        })
      : undefined;

  if (lines.length === 0) return null;
  const submit = () => {
    const fields: Record<string, string> = {
      intent: "cancelLines",
      reason,
      refund: paid ? refund : "none",
      amountMode,
      restock: restock ? "on" : "off",
      notifyCustomer: notify ? "on" : "off",
      staffNote,
    };
    if (refunding && amountMode === "amount") fields.amount = amount;
    action.submit({ ...fields, ...lineFields(quantities) });
  };
  const refundLabels: Record<LineRefundChoice, string> = {
    original: t("afterPayment.cancelLines.refundOriginal"),
    store_credit: t("afterPayment.cancelLines.refundStoreCredit"),
    none: t("afterPayment.cancelLines.refundNone"),
  };

  return (
    <ActionCard
      title={t("afterPayment.cancelLines.title")}
      refusedTitle={t("afterPayment.cancelLines.refused")}
      action={action}
      button={{ label: t("afterPayment.cancelLines.open"), onOpen: check.ask }}
      dialog={{
        title: t("afterPayment.cancelLines.modalTitle", { order: orderName }),
        confirm: t("afterPayment.cancelLines.confirm"),
        destructive: true,
        close: t("afterPayment.cancelLines.keep"),
        confirmDisabled: check.checking || block !== null || aboveLeft !== undefined,
      }}
      onConfirm={submit}
      form={
        <>
          <CancelBlockBanner block={block} />
          {check.checking ? (
            <Text as="p" tone="subdued">
              {t("serviceMessages.cancel.blocked.checking")}
            </Text>
          ) : null}
          <Text as="p">{t("afterPayment.cancelLines.explain")}</Text>
          <LineQuantityFields
            lines={lines.map((line) => ({
              id: line.id,
              label: t("afterPayment.cancelLines.lineLabel", {
                title: line.title,
                count: line.left,
              }),
              max: line.left,
            }))}
            quantities={quantities}
            onChange={(id, quantity) => setQuantities((q) => ({ ...q, [id]: quantity }))}
            error={errors?.lines}
          />
          <CancelReasonSelect
            label={t("afterPayment.cancelLines.reason")}
            value={reason}
            onChange={setReason}
            error={errors?.reason}
          />
          {paid ? (
            <ChoiceList
              title={t("afterPayment.cancelLines.refund")}
              choices={LINE_REFUND_CHOICES.filter((c) => c !== "store_credit" || hasCustomer).map(
                (c) => ({ label: refundLabels[c], value: c }),
              )}
              selected={[refund]}
              onChange={(v) => setRefund(v[0] as LineRefundChoice)}
              error={errors?.refund}
            />
          ) : (
            <Text as="p" tone="subdued">
              {t("afterPayment.cancelLines.nothingCaptured")}
            </Text>
          )}
          {refunding ? (
            <ChoiceList
              title={t("afterPayment.cancelLines.amountTitle")}
              choices={[
                { label: t("afterPayment.cancelLines.amountFull"), value: "full" },
                { label: t("afterPayment.cancelLines.amountSet"), value: "amount" },
              ]}
              selected={[amountMode]}
              onChange={(v) => setAmountMode(v[0] as "full" | "amount")}
            />
          ) : null}
          {fullAmount ? <Text as="p">{fullAmount}</Text> : null}
          {refunding && amountMode === "amount" ? (
            <TextField
              label={t("afterPayment.cancelLines.amount", { currency: currencyCode ?? "" })}
              value={amount}
              onChange={setAmount}
              inputMode="decimal"
              autoComplete="off"
              placeholder={currencyCode ? typedAmountExample(currencyCode, locale) : undefined}
              error={amountDecimalsError ?? aboveLeft ?? errors?.amount}
            />
          ) : null}
          <Checkbox
            label={t("afterPayment.cancelLines.restock")}
            helpText={t("afterPayment.cancelLines.restockHelp")}
            checked={restock}
            onChange={setRestock}
            error={block ? undefined : errors?.restock}
          />
          <Checkbox
            label={t("afterPayment.cancelLines.notify")}
            checked={notify}
            onChange={setNotify}
          />
          <TextField
            label={t("afterPayment.cancelLines.staffNote")}
            value={staffNote}
            onChange={setStaffNote}
            maxLength={255}
            autoComplete="off"
            error={errors?.staffNote}
          />
        </>
      }
    />
  );
}
