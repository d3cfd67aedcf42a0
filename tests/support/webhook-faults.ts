// How every webhook suite that goes through the shop simulator runs by default (integration and
// browser alike): Shopify promises neither order nor promptness, so deliveries of one burst go out
// newest first and each waits a little. A test that needs otherwise says so.
export const WEBHOOK_FAULTS = { reorderWebhooksWindowMs: 40, webhookDelayMs: 15 } as const;
