// The order screen's "Remake" card: which lines to make again, why, and at what price; the links
// to replacements made of this order (or to the order this one replaces); refusals in red.
import { useEffect, useState } from "react";
import { useFetcher } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  ChoiceList,
  InlineStack,
  Link,
  Modal,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import type { OrderRemakes, RemakeLink } from "../../services/order-detail.server";
import { renderWords } from "../../i18n/words";

export interface RemakeAnswer {
  intent: "remake";
  ok: boolean;
  message: string;
  errors?: Partial<Record<"reason" | "charge" | "unitPrice" | "lines", string>>;
}

export interface RemakeCardProps {
  orderName: string;
  remakes: OrderRemakes;
  onDone(message: string): void;
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

export function RemakeCard({ orderName, remakes, onDone }: RemakeCardProps) {
  const { t } = useTranslation();
  const fetcher = useFetcher<RemakeAnswer>();
  const [open, setOpen] = useState(false);
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const [reason, setReason] = useState<string>(remakes.reasons[0] ?? "");
  const [charge, setCharge] = useState<"none" | "set">("none");
  const [unitPrice, setUnitPrice] = useState("");
  const [failure, setFailure] = useState<string | null>(null);

  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (!answer || answer.intent !== "remake") return;
    if (answer.ok) {
      setOpen(false);
      setFailure(null);
      setQuantities({});
      onDone(answer.message);
    } else if (!answer.errors) {
      setOpen(false);
      setFailure(answer.message);
    }
    // onDone is the screen's toast; answering once per answer is enough.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [answer]);

  const submitting = fetcher.state !== "idle";
  const submit = () => {
    setFailure(null);
    const fields: Record<string, string> = { intent: "remake", reason, charge };
    if (charge === "set") fields.unitPrice = unitPrice;
    for (const [id, quantity] of Object.entries(quantities)) fields[`line:${id}`] = quantity;
    fetcher.submit(fields, { method: "post" });
  };
  const errors = answer?.errors;

  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">
          {t("afterSales.remake.title")}
        </Text>
        {remakes.of ? <LinkLine link={remakes.of} label={t("afterSales.remake.remakeOf")} /> : null}
        {remakes.made.map((link) => (
          <LinkLine key={link.createdAt} link={link} label={t("afterSales.remake.remadeAs")} />
        ))}
        {failure ? (
          <Banner
            tone="critical"
            title={t("afterSales.remake.refused")}
            onDismiss={() => setFailure(null)}
          >
            <p>{failure}</p>
          </Banner>
        ) : null}
        {remakes.lines.length > 0 ? (
          <Button onClick={() => setOpen(true)} loading={submitting}>
            {t("afterSales.remake.open")}
          </Button>
        ) : null}
      </BlockStack>
      <Modal
        open={open}
        onClose={() => setOpen(false)}
        title={t("afterSales.remake.modalTitle", { order: orderName })}
        primaryAction={{
          content: t("afterSales.remake.confirm"),
          loading: submitting,
          onAction: submit,
        }}
        secondaryActions={[
          { content: t("afterSales.remake.close"), onAction: () => setOpen(false) },
        ]}
      >
        <Modal.Section>
          <BlockStack gap="300">
            <Text as="p">{t("afterSales.remake.explain")}</Text>
            {remakes.lines.map((line) => (
              <TextField
                key={line.id}
                label={t("afterSales.remake.lineLabel", {
                  title: line.title,
                  count: line.quantity,
                })}
                type="number"
                min={0}
                max={line.quantity}
                value={quantities[line.id] ?? "0"}
                onChange={(value) => setQuantities((q) => ({ ...q, [line.id]: value }))}
                autoComplete="off"
              />
            ))}
            {errors?.lines ? (
              <Text as="p" tone="critical">
                {errors.lines}
              </Text>
            ) : null}
            <Select
              label={t("afterSales.remake.reason")}
              options={remakes.reasons.map((r) => ({ label: r, value: r }))}
              value={reason}
              onChange={setReason}
              error={errors?.reason}
            />
            <ChoiceList
              title={t("afterSales.remake.charge")}
              choices={[
                { label: t("afterSales.remake.noCharge"), value: "none" },
                { label: t("afterSales.remake.setPrice"), value: "set" },
              ]}
              selected={[charge]}
              onChange={(v) => setCharge(v[0] as "none" | "set")}
              error={errors?.charge}
            />
            {charge === "set" ? (
              <TextField
                label={t("afterSales.remake.unitPrice", {
                  currency: remakes.currencyCode ?? "",
                })}
                value={unitPrice}
                onChange={setUnitPrice}
                inputMode="decimal"
                autoComplete="off"
                error={errors?.unitPrice}
              />
            ) : null}
          </BlockStack>
        </Modal.Section>
      </Modal>
    </Card>
  );
}
