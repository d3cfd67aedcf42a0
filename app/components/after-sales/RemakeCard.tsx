// The order screen's "Remake" card: which lines to make again, why, and at what price; the links
// to replacements made of this order (or to the order this one replaces); refusals in red.
import { useState } from "react";
import { InlineStack, Link, Select, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import type { OrderRemakes, RemakeLink } from "../../services/order-detail.server";
import { renderWords } from "../../i18n/words";
import { LineQuantityFields, lineFields } from "./LineQuantityFields";
import { ActionCard } from "./ActionCard";
import { useActionAnswer, type ActionNotice } from "./useActionAnswer";

export interface RemakeAnswer {
  intent: "remake";
  ok: boolean;
  message: string;
  errors?: Partial<Record<"reason" | "charge" | "lines", string>>;
  /** Done, with what the merchant must act on (the original was canceled meanwhile). */
  notice?: ActionNotice;
}

export interface RemakeCardProps {
  orderName: string;
  /** A canceled order is not remade (the service refuses it): no action, only its links. */
  cancelled: boolean;
  remakes: OrderRemakes;
  /** The toast's words, and a banner's when the merchant must act on what was done. */
  onDone(message: string, notice?: ActionNotice): void;
}

function LinkLine({ link, label }: { link: RemakeLink; label: string }) {
  const { t } = useTranslation();
  return (
    <InlineStack gap="100" blockAlign="center">
      <Text as="span">{label}</Text>
      {link.orderNumber ? (
        <Link url={`/app/orders/${link.orderNumber}`}>{link.name}</Link>
      ) : (
        <Text as="span" tone="subdued">
          {t("afterSales.remake.notPlaced")}
        </Text>
      )}
      <Text as="span" tone="subdued">
        {link.reason}
      </Text>
      {link.error ? (
        <Text as="span" tone="critical">
          {renderWords(t, link.error)}
        </Text>
      ) : null}
    </InlineStack>
  );
}

export function RemakeCard({ orderName, cancelled, remakes, onDone }: RemakeCardProps) {
  const { t } = useTranslation();
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const [reason, setReason] = useState<string>(remakes.reasons[0] ?? "");
  const action = useActionAnswer<RemakeAnswer>("remake", onDone, () => setQuantities({}));
  const { errors } = action;

  const submit = () => {
    action.submit({ intent: "remake", reason, charge: "none", ...lineFields(quantities) });
  };

  return (
    <ActionCard
      title={t("afterSales.remake.title")}
      refusedTitle={t("afterSales.remake.refused")}
      action={action}
      button={
        remakes.lines.length > 0 && !cancelled ? { label: t("afterSales.remake.open") } : null
      }
      dialog={{
        title: t("afterSales.remake.modalTitle", { order: orderName }),
        confirm: t("afterSales.remake.confirm"),
        close: t("afterSales.remake.close"),
      }}
      onConfirm={submit}
      form={
        <>
          <Text as="p">{t("afterSales.remake.explain")}</Text>
          <LineQuantityFields
            lines={remakes.lines.map((line) => ({
              id: line.id,
              label: t("afterSales.remake.lineLabel", {
                title: line.title,
                count: line.quantity,
              }),
              max: line.quantity,
            }))}
            quantities={quantities}
            onChange={(id, quantity) => setQuantities((q) => ({ ...q, [id]: quantity }))}
            error={errors?.lines}
          />
          <Select
            label={t("afterSales.remake.reason")}
            options={remakes.reasons.map((r) => ({ label: r, value: r }))}
            value={reason}
            onChange={setReason}
            error={errors?.reason}
          />
          <Text as="p" tone="subdued">
            {t("afterSales.remake.noChargeOnly")}
          </Text>
        </>
      }
    >
      {remakes.of ? <LinkLine link={remakes.of} label={t("afterSales.remake.remakeOf")} /> : null}
      {remakes.made.map((link) => (
        <LinkLine key={link.createdAt} link={link} label={t("afterSales.remake.remadeAs")} />
      ))}
    </ActionCard>
  );
}
