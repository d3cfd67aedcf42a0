// The order screen's "Extra charge" card: ask the customer to pay more (extra shipping, a size
// change) by a draft order's invoice; the charges of this order with where each stands and the
// order it became, or, on that order, the link back; Shopify's refusals in red beside the action.
import { useState } from "react";
import { Badge, BlockStack, Card, InlineStack, Link, Text, TextField } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import type { ExtraChargeView } from "../../fulfilment/extra-charge.server";
import type { ExtraChargeAnswer } from "../../services/extra-charge.server";
import { renderWords } from "../../i18n/words";
import { useFormat } from "../order/format";
import { ActionCard } from "./ActionCard";
import { useActionAnswer, type ActionNotice } from "./useActionAnswer";

export interface ExtraChargeCardProps {
  orderName: string;
  cancelled: boolean;
  currencyCode: string | null;
  charges: ExtraChargeView[];
  /** The charge this order pays (it was made from the charge's draft order). */
  paysFor: ExtraChargeView | null;
  /** The toast's words, and a banner's when the merchant must act on what was done. */
  onDone(message: string, notice?: ActionNotice): void;
}

/**
 * A new id for the form each time it opens: sent with it, so a second "Send invoice" of the same
 * form (a double click, a resend) is answered with the charge the first made, never a second one.
 */
function newRequestId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // Outside a secure context randomUUID is missing; getRandomValues is not (RFC 9562 version 4).
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const TONES: Record<string, "success" | "attention" | "critical" | "info"> = {
  paid: "success",
  invoice_sent: "attention",
  completed: "attention",
  failed: "critical",
  creating: "info",
};

function ChargeLine({ charge }: { charge: ExtraChargeView }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <BlockStack gap="100">
      <InlineStack gap="200" blockAlign="center">
        <Text as="span" fontWeight="semibold">
          {format.money(charge.amount, charge.currency)}
        </Text>
        <Text as="span">{charge.reason}</Text>
        <Badge tone={TONES[charge.status] ?? "info"}>
          {t(`extraCharge.status.${charge.status}`, { defaultValue: charge.status })}
        </Badge>
      </InlineStack>
      <InlineStack gap="100" blockAlign="center">
        {charge.draftOrderName ? (
          <Text as="span" tone="subdued">
            {t("extraCharge.draft", { draft: charge.draftOrderName })}
          </Text>
        ) : null}
        {charge.paidOrderNumber && charge.paidOrderName ? (
          <>
            <Text as="span" tone="subdued">
              {t("extraCharge.paidAs")}
            </Text>
            <Link url={`/app/orders/${charge.paidOrderNumber}`}>{charge.paidOrderName}</Link>
          </>
        ) : null}
      </InlineStack>
      {charge.error ? (
        <Text as="p" tone="critical">
          {renderWords(t, charge.error)}
        </Text>
      ) : null}
    </BlockStack>
  );
}

export function ExtraChargeCard({
  orderName,
  cancelled,
  currencyCode,
  charges,
  paysFor,
  onDone,
}: ExtraChargeCardProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [message, setMessage] = useState("");
  const [requestId, setRequestId] = useState("");
  const action = useActionAnswer<ExtraChargeAnswer>("extraCharge", onDone, () => {
    setAmount("");
    setReason("");
    setMessage("");
  });
  const { errors } = action;
  const submit = () => action.submit({ intent: "extraCharge", amount, reason, message, requestId });

  // An order that is itself an extra charge is not charged again; it links back to its original.
  if (paysFor)
    return (
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            {t("extraCharge.title")}
          </Text>
          <InlineStack gap="100" blockAlign="center">
            <Text as="span">{t("extraCharge.paysFor")}</Text>
            <Link url={`/app/orders/${paysFor.orderNumber}`}>{paysFor.orderName}</Link>
            <Text as="span" tone="subdued">
              {`${format.money(paysFor.amount, paysFor.currency)} · ${paysFor.reason}`}
            </Text>
          </InlineStack>
        </BlockStack>
      </Card>
    );

  return (
    <ActionCard
      title={t("extraCharge.title")}
      refusedTitle={t("extraCharge.refused")}
      action={action}
      button={
        cancelled
          ? null
          : { label: t("extraCharge.open"), onOpen: () => setRequestId(newRequestId()) }
      }
      dialog={{
        title: t("extraCharge.modalTitle", { order: orderName }),
        confirm: t("extraCharge.confirm"),
        close: t("extraCharge.close"),
      }}
      onConfirm={submit}
      form={
        <>
          <Text as="p">{t("extraCharge.explain")}</Text>
          <TextField
            label={t("extraCharge.amount", { currency: currencyCode ?? "" })}
            value={amount}
            onChange={setAmount}
            inputMode="decimal"
            autoComplete="off"
            error={errors?.amount}
          />
          <TextField
            label={t("extraCharge.reason")}
            helpText={t("extraCharge.reasonHelp")}
            value={reason}
            onChange={setReason}
            autoComplete="off"
            error={errors?.reason}
          />
          <TextField
            label={t("extraCharge.message")}
            helpText={t("extraCharge.messageHelp")}
            value={message}
            onChange={setMessage}
            multiline={3}
            autoComplete="off"
            error={errors?.message}
          />
        </>
      }
    >
      {charges.length === 0 ? (
        <Text as="p" tone="subdued">
          {t("extraCharge.none")}
        </Text>
      ) : (
        charges.map((charge) => <ChargeLine key={charge.id} charge={charge} />)
      )}
    </ActionCard>
  );
}
