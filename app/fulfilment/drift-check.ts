// What the screen and the worker share of a merchant's Check now (ADR 076): the check's view and
// whether it is still in hand, without the server's modules, so the screen's component can use it.

/** A stuck-and-drift job's payload: `check` when it runs a merchant's Check now. */
export interface DriftScanJob {
  shop: string;
  check?: boolean;
}

export type CheckStatus = "queued" | "running" | "done" | "failed";

/** The check the screen shows: the last one asked for this shop, or none. */
export interface CheckView {
  status: CheckStatus;
  requestedAt: string;
  requestedBy: string | null;
  finishedAt: string | null;
  stuck: number | null;
  drift: number | null;
  repaired: number | null;
  /** Why it failed: Shopify did not answer (`shopify`), or the app's own error; null: lost. */
  error: { shopify: boolean; message: string } | null;
}

export const IN_HAND: CheckStatus[] = ["queued", "running"];

/** Whether the screen should keep looking: a check is queued or running. */
export const checkInHand = (check: CheckView | null): boolean =>
  check !== null && IN_HAND.includes(check.status);
