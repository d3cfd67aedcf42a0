// The order's timeline, notes and decisions to download, as CSV (for a spreadsheet) or PDF (to file
// or hand on).
import { BlockStack, Button, Card, InlineError, InlineStack } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { useDownload } from "./useDownload";
import { CardHeading } from "../CardHeading";

// File kinds, not words for the merchant.
const EXTENSIONS = ["csv", "pdf"] as const;

export function OrderExportCard({
  orderNumber,
  orderName,
}: {
  orderNumber: string;
  orderName: string;
}) {
  const { t } = useTranslation();
  const { download, loading, error } = useDownload((status) =>
    t("orderlog.export.failed", { status }),
  );
  const file = (extension: "csv" | "pdf") => ({
    path: `/app/orders/${orderNumber}/export.${extension}`,
    // The server's file name, so the saved file is named the same either way.
    name: `order-${orderName.replace(/[^\w-]+/g, "")}-log.${extension}`,
  });
  const button = (extension: "csv" | "pdf") => {
    const { path, name } = file(extension);
    return (
      <Button
        key={extension}
        onClick={() => void download(path, name)}
        loading={loading === path}
        disabled={loading !== null && loading !== path}
        accessibilityLabel={t(`orderlog.export.${extension}Of`, { order: orderName })}
      >
        {t(`orderlog.export.${extension}`)}
      </Button>
    );
  };
  return (
    <Card>
      <BlockStack gap="200">
        <CardHeading title={t("orderlog.export.title")} help={t("orderlog.export.help")} />
        <InlineStack gap="200">{EXTENSIONS.map(button)}</InlineStack>
        {error ? <InlineError message={error} fieldID="order-export" /> : null}
      </BlockStack>
    </Card>
  );
}
