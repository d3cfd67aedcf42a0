// What Shopify would refuse a cancel or a refund for, asked when a cancel dialog opens; the dialog says why and what the merchant can do, with its confirm button off (ADR 095).
import { useFetcher } from "@remix-run/react";
import { Banner } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import type { CancelBlock, CancelCheckFacts } from "../../routing";

/** The order's cancel-check route's answer. */
export interface CancelCheckAnswer {
  facts: CancelCheckFacts | null;
  /** What is left to refund, for "Cancel items" (a decimal of its currency). */
  left?: { amount: string; currency: string } | null;
  error?: string;
}

export function useCancelCheck(orderNumber: string, forLines = false) {
  const fetcher = useFetcher<CancelCheckAnswer>();
  return {
    /** Asked each time the dialog opens: a return opened since the page loaded counts. */
    ask() {
      fetcher.load(`/app/orders/${orderNumber}/cancel-check${forLines ? "?for=lines" : ""}`);
    },
    checking: fetcher.state !== "idle",
    facts: fetcher.state === "idle" ? (fetcher.data?.facts ?? null) : null,
    left: fetcher.state === "idle" ? (fetcher.data?.left ?? null) : null,
  };
}

/** Why Shopify would refuse it and what the merchant can do, at the top of the dialog. */
export function CancelBlockBanner({ block }: { block: CancelBlock | null }) {
  const { t } = useTranslation();
  if (!block) return null;
  const { code, ...params } = block;
  return (
    <Banner tone="critical">
      <p>{t(`serviceMessages.cancel.blocked.${code}`, params)}</p>
    </Banner>
  );
}
