// The order screen's "Cancel items" action: which quantities, why, where the money goes (in full or
// an amount), restock, whether the customer is told; the lab's or Shopify's refusal in red beside it.
import { useState } from "react";
import { Checkbox, ChoiceList, Text, TextField } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { LINE_REFUND_CHOICES, type LineRefundChoice } from "../../routing";
import { LineQuantityFields, lineFields } from "./LineQuantityFields";
import { ActionCard } from "./ActionCard";
import { CancelReasonSelect } from "./CancelReasonSelect";
import { useActionAnswer } from "./useActionAnswer";

export interface CancelLinesAnswer {
  intent: "cancelLines";
  ok: boolean;
  message: string;
  errors?: Partial<Record<"reason" | "refund" | "amount" | "staffNote" | "lines", string>>;
}

export interface CancelLinesCardProps {
  orderName: string;
  lines: { id: string; title: string; left: number }[];
  currencyCode: string | null;
  /** Whether money was taken (the refund choices are shown only then). */
  paid: boolean;
  hasCustomer: boolean;
  onDone(message: string): void;
}

export function CancelLinesCard({
  orderName,
  lines,
  currencyCode,
  paid,
  hasCustomer,
  onDone,
}: CancelLinesCardProps) {
  const { t } = useTranslation();
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

  if (lines.length === 0) return null;
  const refunding = paid && refund !== "none";
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
      button={{ label: t("afterPayment.cancelLines.open") }}
      dialog={{
        title: t("afterPayment.cancelLines.modalTitle", { order: orderName }),
        confirm: t("afterPayment.cancelLines.confirm"),
        destructive: true,
        close: t("afterPayment.cancelLines.keep"),
      }}
      onConfirm={submit}
      form={
        <>
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
          {refunding && amountMode === "amount" ? (
            <TextField
              label={t("afterPayment.cancelLines.amount", { currency: currencyCode ?? "" })}
              value={amount}
              onChange={setAmount}
              inputMode="decimal"
              autoComplete="off"
              error={errors?.amount}
            />
          ) : null}
          <Checkbox
            label={t("afterPayment.cancelLines.restock")}
            helpText={t("afterPayment.cancelLines.restockHelp")}
            checked={restock}
            onChange={setRestock}
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
