// What a done after-sales action leaves the merchant to act on: a banner on the order screen.

/**
 * Shown as a banner, not in the toast: a toast is a short confirmation that vanishes, and
 * anything the merchant must act on belongs in a banner (Polaris). Warning for what needs the
 * merchant's attention, critical for what must be resolved (ADR 104).
 */
export interface ActionNotice {
  title: string;
  text: string;
  tone: "warning" | "critical";
}
