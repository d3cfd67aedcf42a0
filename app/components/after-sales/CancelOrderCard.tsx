// The order screen's "Cancel order" action: reason, refund, restock and notification in a modal,
// and Shopify's or the lab's refusal shown in red beside the button that asked.
import { useEffect, useState } from "react";
import { useFetcher } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  ChoiceList,
  Modal,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { ORDER_CANCEL_REASONS, type CancelRefundChoice } from "../../routing";

export interface CancelAnswer {
  intent: "cancel";
  ok: boolean;
  cancelled?: boolean;
  message: string;
  errors?: Partial<Record<string, string>>;
}

export interface CancelOrderCardProps {
  orderName: string;
  cancelled: boolean;
  /** Whether there is captured money to give back (the refund choices are shown only then). */
  paid: boolean;
  hasCustomer: boolean;
  onDone(message: string): void;
}

export function CancelOrderCard({
  orderName,
  cancelled,
  paid,
  hasCustomer,
  onDone,
}: CancelOrderCardProps) {
  const { t } = useTranslation();
  const fetcher = useFetcher<CancelAnswer>();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<string>("CUSTOMER");
  const [refund, setRefund] = useState<CancelRefundChoice>(paid ? "original" : "none");
  const [restock, setRestock] = useState(true);
  const [notify, setNotify] = useState(true);
  const [staffNote, setStaffNote] = useState("");
  const [failure, setFailure] = useState<string | null>(null);

  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (!answer || answer.intent !== "cancel") return;
    setOpen(false);
    if (answer.ok) {
      setFailure(null);
      onDone(answer.message);
    } else setFailure(answer.message);
    // onDone is the screen's toast; answering once per answer is enough.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [answer]);

  if (cancelled) return null;
  const submitting = fetcher.state !== "idle";
  const submit = () => {
    setFailure(null);
    fetcher.submit(
      {
        intent: "cancel",
        reason,
        refund: paid ? refund : "none",
        restock: restock ? "on" : "off",
        notifyCustomer: notify ? "on" : "off",
        staffNote,
      },
      { method: "post" },
    );
  };
  const refundChoices = [
    { label: t("afterSales.cancel.refundOriginal"), value: "original" },
    ...(hasCustomer
      ? [{ label: t("afterSales.cancel.refundStoreCredit"), value: "store_credit" }]
      : []),
    { label: t("afterSales.cancel.refundNone"), value: "none" },
  ];

  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {t("afterSales.cancel.title")}
        </Text>
        {failure ? (
          <Banner
            tone="critical"
            title={t("afterSales.cancel.refused")}
            onDismiss={() => setFailure(null)}
          >
            <p>{failure}</p>
          </Banner>
        ) : null}
        <Button tone="critical" onClick={() => setOpen(true)} loading={submitting}>
          {t("afterSales.cancel.open")}
        </Button>
      </BlockStack>
      <Modal
        open={open}
        onClose={() => setOpen(false)}
        title={t("afterSales.cancel.modalTitle", { order: orderName })}
        primaryAction={{
          content: t("afterSales.cancel.confirm"),
          destructive: true,
          loading: submitting,
          onAction: submit,
        }}
        secondaryActions={[
          { content: t("afterSales.cancel.keep"), onAction: () => setOpen(false) },
        ]}
      >
        <Modal.Section>
          <BlockStack gap="300">
            <Text as="p">{t("afterSales.cancel.irreversible")}</Text>
            <Select
              label={t("afterSales.cancel.reason")}
              options={ORDER_CANCEL_REASONS.map((r) => ({
                label: t(`afterSales.cancel.reasons.${r}`),
                value: r,
              }))}
              value={reason}
              onChange={setReason}
              error={answer?.errors?.reason}
            />
            {paid ? (
              <ChoiceList
                title={t("afterSales.cancel.refund")}
                choices={refundChoices}
                selected={[refund]}
                onChange={(v) => setRefund(v[0] as CancelRefundChoice)}
                error={answer?.errors?.refund}
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
            />
            <Checkbox label={t("afterSales.cancel.notify")} checked={notify} onChange={setNotify} />
            <TextField
              label={t("afterSales.cancel.staffNote")}
              helpText={t("afterSales.cancel.staffNoteHelp")}
              value={staffNote}
              onChange={setStaffNote}
              maxLength={255}
              autoComplete="off"
              error={answer?.errors?.staffNote}
            />
          </BlockStack>
        </Modal.Section>
      </Modal>
    </Card>
  );
}
