// Why an order or some of its items are canceled: Shopify's cancel reasons, in the reader's words.
import { Select } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { ORDER_CANCEL_REASONS } from "../../routing";

export function CancelReasonSelect(props: {
  label: string;
  value: string;
  onChange(value: string): void;
  error?: string;
}) {
  const { t } = useTranslation();
  return (
    <Select
      {...props}
      options={ORDER_CANCEL_REASONS.map((r) => ({
        label: t(`afterSales.cancel.reasons.${r}`),
        value: r,
      }))}
    />
  );
}
