// Downloads the packing slip and pick list PDF.
import { BlockStack, Button, InlineError } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { useDownload } from "./useDownload";

export function PackingSlipButton({
  orderNumber,
  orderName,
}: {
  orderNumber: string;
  orderName: string;
}) {
  const { t } = useTranslation();
  const { download, loading, error } = useDownload((status) => t("order.slip.failed", { status }));
  return (
    <BlockStack gap="100">
      <Button
        onClick={() =>
          void download(
            `/app/orders/${orderNumber}/packing-slip`,
            `packing-slip-${orderName.replace(/[^\w-]+/g, "")}.pdf`,
          )
        }
        loading={loading !== null}
      >
        {t("order.slip.button")}
      </Button>
      {error ? <InlineError message={error} fieldID="packing-slip" /> : null}
    </BlockStack>
  );
}
