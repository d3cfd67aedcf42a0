// Downloads the packing slip and pick list PDF. Fetched rather than linked: the app's own fetch
// carries the session token, a plain link would arrive without one.
import { useState } from "react";
import { BlockStack, Button, InlineError } from "@shopify/polaris";
import { useTranslation } from "react-i18next";

export function PackingSlipButton({
  orderNumber,
  orderName,
}: {
  orderNumber: string;
  orderName: string;
}) {
  const { t } = useTranslation();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const download = async () => {
    setLoading(true);
    setError(null);
    try {
      const response = await fetch(`/app/orders/${orderNumber}/packing-slip`);
      if (!response.ok)
        throw new Error(
          (await response.text()) || t("order.slip.failed", { status: response.status }),
        );
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement("a");
      link.href = url;
      link.download = `packing-slip-${orderName.replace(/[^\w-]+/g, "")}.pdf`;
      document.body.appendChild(link);
      link.click();
      link.remove();
      // Give the browser a moment to start the download before the blob goes away.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setLoading(false);
    }
  };
  return (
    <BlockStack gap="100">
      <Button onClick={() => void download()} loading={loading}>
        {t("order.slip.button")}
      </Button>
      {error ? <InlineError message={error} fieldID="packing-slip" /> : null}
    </BlockStack>
  );
}
