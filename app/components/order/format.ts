// Dates and money as the order screens show them: the same text on the server and in the browser.
const dateTime = new Intl.DateTimeFormat("en", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

/** Formatted in UTC on both sides, so hydration never finds a different string. */
export function formatDateTime(iso: string | null | undefined): string {
  return iso ? `${dateTime.format(new Date(iso))} UTC` : "—";
}

export function formatMoney(amount: string, currencyCode: string): string {
  const value = Number(amount);
  if (!Number.isFinite(value)) return `${amount} ${currencyCode}`;
  return new Intl.NumberFormat("en", { style: "currency", currency: currencyCode }).format(value);
}

const STATUS_WORDS: Record<string, string> = {
  OPEN: "Open",
  IN_PROGRESS: "In progress",
  ON_HOLD: "On hold",
  SCHEDULED: "Scheduled",
  INCOMPLETE: "Incomplete",
  CLOSED: "Closed",
  CANCELLED: "Cancelled",
  UNSUBMITTED: "Not requested",
  SUBMITTED: "Requested",
  ACCEPTED: "Accepted",
  REJECTED: "Rejected",
  CANCELLATION_REQUESTED: "Cancellation requested",
  CANCELLATION_ACCEPTED: "Cancellation accepted",
  CANCELLATION_REJECTED: "Cancellation rejected",
  AUTHORIZED: "Authorized",
  PAID: "Paid",
  PARTIALLY_PAID: "Partially paid",
  PARTIALLY_REFUNDED: "Partially refunded",
  PENDING: "Payment pending",
  REFUNDED: "Refunded",
  VOIDED: "Voided",
  EXPIRED: "Authorization expired",
};

/** Shopify's enum values in the words Shopify admin uses. */
export function shopifyWords(value: string | null | undefined): string {
  if (!value) return "—";
  return STATUS_WORDS[value] ?? value.charAt(0) + value.slice(1).toLowerCase().replace(/_/g, " ");
}
