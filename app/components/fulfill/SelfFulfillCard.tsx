// The order screen's "Fulfill items" card for a fulfillment order the merchant fulfills: how many of
// each line, the print file and the customer's crop drawn over the image, carrier from Shopify's
// list, tracking number and URL, whether the customer is told; Shopify's refusal in red beside it.
import { useEffect, useState } from "react";
import { useFetcher } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  InlineStack,
  Link,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import type { DetailFulfillmentOrder, DetailLine } from "../../services/order-detail.server";
import { TRACKING_COMPANIES } from "../../shopify/tracking-companies";
import { fileUrlOf, isCropKey, lineFilesOf, parseCrop, type Crop } from "./crop";

export interface SelfFulfillAnswer {
  intent: "selfFulfill";
  ok: boolean;
  message: string;
  fulfillmentOrderId?: string;
  /** Field (lines, company, number, url, fulfillmentOrderId) → what to fix. */
  errors?: Record<string, string>;
}

/** The customer's crop over the image: the part outside is dimmed, the print's area framed. */
export function CropPreview({
  crop,
  imageUrl,
  label,
}: {
  crop: Crop;
  imageUrl: string | null;
  label: string;
}) {
  return (
    <div
      role="img"
      aria-label={label}
      data-testid="crop-preview"
      style={{
        position: "relative",
        width: 160,
        aspectRatio: imageUrl ? undefined : "3 / 2",
        overflow: "hidden",
        borderRadius: 6,
        background: "var(--p-color-bg-surface-secondary)",
        border: "1px solid var(--p-color-border)",
      }}
    >
      {imageUrl ? (
        <img src={imageUrl} alt="" style={{ display: "block", width: "100%", height: "auto" }} />
      ) : null}
      <div
        data-testid="crop-frame"
        style={{
          position: "absolute",
          left: `${crop.x * 100}%`,
          top: `${crop.y * 100}%`,
          width: `${crop.w * 100}%`,
          height: `${crop.h * 100}%`,
          border: "2px solid var(--p-color-border-emphasis)",
          boxShadow: "0 0 0 999px rgba(0, 0, 0, 0.45)",
          boxSizing: "border-box",
        }}
      />
    </div>
  );
}

function LineFiles({ line }: { line: DetailLine }) {
  const { t } = useTranslation();
  const { files, imageUrl } = lineFilesOf(line.properties);
  const named = line.properties.filter((p) => !fileUrlOf(p.value) && /image|file/i.test(p.key));
  const cropProperty = line.properties.find((p) => isCropKey(p.key));
  const crop = cropProperty ? parseCrop(cropProperty.value) : null;
  return (
    <BlockStack gap="100">
      {files.map((f) => (
        <Link key={f.url} url={f.url} target="_blank">
          {f.kind === "other"
            ? t("fulfill.selfFulfill.openFile", { name: f.name })
            : t(`selfFulfillFiles.open.${f.kind}`)}
        </Link>
      ))}
      {named.map((p) => (
        <Text key={p.key} as="span" tone="subdued">
          {t("fulfill.selfFulfill.fileName", { name: p.key, file: p.value })}
        </Text>
      ))}
      {crop ? (
        <CropPreview
          crop={crop}
          imageUrl={imageUrl}
          label={t("fulfill.selfFulfill.cropLabel", {
            width: Math.round(crop.w * 100),
            height: Math.round(crop.h * 100),
          })}
        />
      ) : cropProperty ? (
        <Text as="span" tone="caution">
          {t("fulfill.selfFulfill.cropUnreadable", { crop: cropProperty.value })}
        </Text>
      ) : null}
    </BlockStack>
  );
}

export function SelfFulfillCard({
  fo,
  notifyDefault,
  onDone,
}: {
  fo: DetailFulfillmentOrder;
  notifyDefault: boolean;
  onDone(message: string): void;
}) {
  const { t } = useTranslation();
  const fetcher = useFetcher<SelfFulfillAnswer>();
  const open = fo.lines.filter((l) => l.remaining > 0);
  const [quantities, setQuantities] = useState<Record<string, string>>(() =>
    Object.fromEntries(open.map((l) => [l.id, String(l.remaining)])),
  );
  const [carrier, setCarrier] = useState("");
  const [carrierName, setCarrierName] = useState("");
  const [number, setNumber] = useState("");
  const [url, setUrl] = useState("");
  const [notify, setNotify] = useState(notifyDefault);
  const answer = fetcher.data?.fulfillmentOrderId === fo.id ? fetcher.data : undefined;
  const errors = answer && !answer.ok ? (answer.errors ?? {}) : {};

  useEffect(() => {
    if (fetcher.state === "idle" && answer?.ok) onDone(answer.message);
    // Only when an answer arrives.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.state, answer]);

  // Shown while the merchant may fulfill, and after Shopify refused so its words stay beside the
  // action even when the order read again says it cannot be fulfilled now (put on hold meanwhile).
  if (open.length === 0 || (!fo.actions.fulfil && !(answer && !answer.ok))) return null;
  const carriers = [
    { label: t("fulfill.selfFulfill.noCarrier"), value: "" },
    ...TRACKING_COMPANIES.map((c) => ({ label: c, value: c })),
    { label: t("fulfill.selfFulfill.otherCarrier"), value: "other" },
  ];

  return (
    <Card>
      <fetcher.Form method="post">
        <input type="hidden" name="intent" value="selfFulfill" />
        <input type="hidden" name="fulfillmentOrderId" value={fo.id} />
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("fulfill.selfFulfill.title", { location: fo.locationName })}
          </Text>
          {open.map((line) => (
            <InlineStack key={line.id} gap="300" wrap={false} blockAlign="start">
              <Box minWidth="160px">
                <LineFiles line={line} />
              </Box>
              <BlockStack gap="100">
                <Text as="span" fontWeight="semibold">
                  {line.title}
                </Text>
                {line.sku ? (
                  <Text as="span" tone="subdued">
                    {line.sku}
                  </Text>
                ) : null}
                <TextField
                  label={t("fulfill.selfFulfill.quantity", { remaining: line.remaining })}
                  type="number"
                  min={0}
                  max={line.remaining}
                  name={`line:${line.id}`}
                  autoComplete="off"
                  value={quantities[line.id] ?? ""}
                  onChange={(v) => setQuantities((q) => ({ ...q, [line.id]: v }))}
                />
              </BlockStack>
            </InlineStack>
          ))}
          {errors.lines ? (
            <Text as="p" tone="critical">
              {errors.lines}
            </Text>
          ) : null}
          <Select
            label={t("fulfill.selfFulfill.carrier")}
            name="carrier"
            options={carriers}
            value={carrier}
            onChange={setCarrier}
            error={carrier === "other" ? undefined : errors.company}
          />
          {carrier === "other" ? (
            <TextField
              label={t("fulfill.selfFulfill.carrierName")}
              name="carrierName"
              autoComplete="off"
              value={carrierName}
              onChange={setCarrierName}
              error={errors.company}
            />
          ) : null}
          <TextField
            label={t("fulfill.selfFulfill.trackingNumber")}
            name="trackingNumber"
            autoComplete="off"
            value={number}
            onChange={setNumber}
            error={errors.number}
          />
          <TextField
            label={t("fulfill.selfFulfill.trackingUrl")}
            name="trackingUrl"
            type="url"
            autoComplete="off"
            value={url}
            onChange={setUrl}
            error={errors.url}
            helpText={t("fulfill.selfFulfill.trackingUrlHelp")}
          />
          <Checkbox label={t("fulfill.selfFulfill.notify")} checked={notify} onChange={setNotify} />
          <input type="hidden" name="notifyCustomer" value={notify ? "on" : "off"} />
          {answer && !answer.ok ? (
            <Banner tone="critical" title={t("fulfill.selfFulfill.refused")}>
              <Text as="p">{answer.message}</Text>
            </Banner>
          ) : null}
          <InlineStack>
            <Button
              submit
              variant="primary"
              loading={fetcher.state !== "idle"}
              disabled={!fo.actions.fulfil}
            >
              {t("fulfill.selfFulfill.submit")}
            </Button>
          </InlineStack>
        </BlockStack>
      </fetcher.Form>
    </Card>
  );
}
