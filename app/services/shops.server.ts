// A shop's lifecycle in our database: created on install, erased on uninstall or shop/redact.
import type { Db } from "../db/client.server";
import type { JobQueue } from "../jobs/queue";

export async function ensureShop(db: Db, shop: string): Promise<void> {
  await db.shop.upsert({ where: { shop }, create: { shop }, update: {} });
}

/**
 * Removes everything we hold for a shop, so a later install starts clean. Deletes by shop only,
 * so running it twice (Shopify retries, or app/uninstalled followed by shop/redact) is harmless.
 * `queue`: the queue the shop's jobs are in when it is not the app's job table (pg-boss), so no
 * job of the shop is left to run, or to hold its orders' ids, after the erasure.
 */
export async function eraseShop(
  db: Db,
  shop: string,
  queue?: Pick<JobQueue, "forgetShop">,
): Promise<void> {
  await queue?.forgetShop(shop);
  await db.$transaction([
    db.session.deleteMany({ where: { shop } }),
    db.step.deleteMany({ where: { decision: { shop } } }),
    db.decision.deleteMany({ where: { shop } }),
    db.rule.deleteMany({ where: { shop } }),
    db.capabilityProfile.deleteMany({ where: { shop } }),
    db.orderNote.deleteMany({ where: { shop } }),
    db.fulfillmentOrderNote.deleteMany({ where: { shop } }),
    db.job.deleteMany({ where: { shop } }),
    db.dataRequest.deleteMany({ where: { shop } }),
    db.approval.deleteMany({ where: { shop } }),
    db.fulfillmentOrderRecord.deleteMany({ where: { shop } }),
    db.bulkJob.deleteMany({ where: { shop } }),
    db.savedView.deleteMany({ where: { shop } }),
    db.recentlyViewedOrder.deleteMany({ where: { shop } }),
    db.labReport.deleteMany({ where: { shop } }),
    db.finding.deleteMany({ where: { shop } }),
    db.remake.deleteMany({ where: { shop } }),
    db.extraCharge.deleteMany({ where: { shop } }),
    db.shopBucket.deleteMany({ where: { shop } }),
    db.pushDelivery.deleteMany({ where: { shop } }),
    db.pushEndpoint.deleteMany({ where: { shop } }),
    db.flowTriggerUse.deleteMany({ where: { shop } }),
    db.catalogueItem.deleteMany({ where: { shop } }),
    db.stockWait.deleteMany({ where: { shop } }),
    // Shopify deletes the subscriptions the app made on the shop when it is uninstalled (ADR 101).
    db.shopWebhookSubscription.deleteMany({ where: { shop } }),
    // Deliveries carry customer data in their payloads; none is kept after uninstall.
    db.webhookDelivery.deleteMany({ where: { shop } }),
    db.shop.deleteMany({ where: { shop } }),
  ]);
}
