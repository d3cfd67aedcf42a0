// The order screen's "Cancel order" action: reason, refund, restock and notification in a modal,
// and Shopify's or the lab's refusal shown in red beside the button that asked.
import { useState } from "react";
import { Banner, Checkbox, ChoiceList, Text, TextField } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { cancelOrderBlock, type CancelRefundChoice } from "../../routing";
import { ActionCard } from "./ActionCard";
import { CancelReasonSelect } from "./CancelReasonSelect";
import { useActionAnswer } from "./useActionAnswer";
import { CancelBlockBanner, useCancelCheck } from "./useCancelCheck";
import type { CancelAnswer } from "../../services/cancel-order.server";

export interface CancelOrderCardProps {
  orderName: string;
  /** The order's number in its URL, for what Shopify would refuse. */
  orderNumber: string;
  cancelled: boolean;
  /** Whether there is captured money to give back (the refund choices are shown only then). */
  paid: boolean;
  hasCustomer: boolean;
  onDone(message: string): void;
}

export function CancelOrderCard({
  orderName,
  orderNumber,
  cancelled,
  paid,
  hasCustomer,
  onDone,
}: CancelOrderCardProps) {
  const { t } = useTranslation();
  const [reason, setReason] = useState<string>("CUSTOMER");
  const [refund, setRefund] = useState<CancelRefundChoice>(paid ? "original" : "none");
  const [restock, setRestock] = useState(true);
  const [notify, setNotify] = useState(true);
  const [staffNote, setStaffNote] = useState("");
  const action = useActionAnswer<CancelAnswer>("cancel", onDone);
  const { errors } = action;
  const check = useCancelCheck(orderNumber);
  const block = check.facts
    ? cancelOrderBlock(check.facts, { refund: paid ? refund : "none", restock })
    : null;
  // The action's own check (a return opened after the dialog opened) answers as a field error.
  const orderError = errors?.order;

  if (cancelled) return null;
  const submit = () =>
    action.submit({
      intent: "cancel",
      reason,
      refund: paid ? refund : "none",
      restock: restock ? "on" : "off",
      notifyCustomer: notify ? "on" : "off",
      staffNote,
    });
  const refundChoices = [
    { label: t("afterSales.cancel.refundOriginal"), value: "original" },
    ...(hasCustomer
      ? [{ label: t("afterSales.cancel.refundStoreCredit"), value: "store_credit" }]
      : []),
    { label: t("afterSales.cancel.refundNone"), value: "none" },
  ];

  return (
    <ActionCard
      title={t("afterSales.cancel.title")}
      refusedTitle={t("afterSales.cancel.refused")}
      action={action}
      button={{ label: t("afterSales.cancel.open"), critical: true, onOpen: check.ask }}
      dialog={{
        title: t("afterSales.cancel.modalTitle", { order: orderName }),
        confirm: t("afterSales.cancel.confirm"),
        destructive: true,
        close: t("afterSales.cancel.keep"),
        confirmDisabled: check.checking || block !== null,
      }}
      onConfirm={submit}
      form={
        <>
          <CancelBlockBanner block={block} />
          {!block && orderError ? (
            <Banner tone="critical">
              <p>{orderError}</p>
            </Banner>
          ) : null}
          {check.checking ? (
            <Text as="p" tone="subdued">
              {t("serviceMessages.cancel.blocked.checking")}
            </Text>
          ) : null}
          <Text as="p">{t("afterSales.cancel.irreversible")}</Text>
          <CancelReasonSelect
            label={t("afterSales.cancel.reason")}
            value={reason}
            onChange={setReason}
            error={errors?.reason}
          />
          {paid ? (
            <ChoiceList
              title={t("afterSales.cancel.refund")}
              choices={refundChoices}
              selected={[refund]}
              onChange={(v) => setRefund(v[0] as CancelRefundChoice)}
              error={block ? undefined : errors?.refund}
            />
          ) : (
            <Text as="p" tone="subdued">
              {t("afterSales.cancel.nothingCaptured")}
            </Text>
          )}
          <Checkbox
            label={t("afterSales.cancel.restock")}
            checked={restock}
            onChange={setRestock}
            error={block ? undefined : errors?.restock}
          />
          <Checkbox label={t("afterSales.cancel.notify")} checked={notify} onChange={setNotify} />
          <TextField
            label={t("afterSales.cancel.staffNote")}
            helpText={t("afterSales.cancel.staffNoteHelp")}
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
