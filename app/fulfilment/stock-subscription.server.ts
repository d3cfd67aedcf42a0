// Keeps a shop subscribed to inventory_levels/update exactly while it needs stock news: while its rules split by stock or an order waits for stock (ADR 101).
import { randomUUID } from "node:crypto";
import type { Db } from "../db/client.server";
import type { Job, JobQueue } from "../jobs/queue";
import { makeStep } from "../routing";
import { ruleSetFromStored } from "../routing/rule-set";
import type { AdminGateway } from "../shopify/gateway.server";
import { ShopifyUserErrors } from "../shopify/errors";
import { WEBHOOK_SUBSCRIPTIONS_QUERY } from "../shopify/operations";
import { logEvent } from "../utils/log.server";
import { applyStep } from "./apply-step.server";
import { QUEUES, type WorkerDeps } from "./queues";
import { replanWhenStockArrives } from "./stock-waits.server";

export const STOCK_TOPIC = "inventory_levels/update";
/** The route that handles it: app/routes/webhooks.inventory_levels.update.tsx. */
export const STOCK_TOPIC_PATH = "/webhooks/inventory_levels/update";

/**
 * The address Shopify sends the topic to: the app's URL joined with the route's path, as Shopify
 * joins a toml subscription's relative `uri` to `application_url`.
 */
export function stockTopicUri(appUrl: string): string {
  return `${appUrl.replace(/\/+$/, "")}${STOCK_TOPIC_PATH}`;
}

/**
 * Whether the shop needs stock news: an enabled rule splits by stock (it may hold a part for stock
 * on the next order), or an order waits for stock (a rule removed or switched off leaves orders
 * waiting until they are decided again: stock arriving must still reach them).
 */
export async function needsStockNews(db: Db, shop: string): Promise<boolean> {
  const waiting = await db.stockWait.findFirst({ where: { shop }, select: { orderId: true } });
  if (waiting) return true;
  return rulesSplitStock(db, shop);
}

/** A shop-level Step: it belongs to no order, so it names none. */
const shopStep = <K extends "webhookSubscriptionCreate" | "webhookSubscriptionDelete">(
  kind: K,
  input: Parameters<typeof makeStep<K>>[3],
) =>
  makeStep(kind, "", null, input, `${kind} ${STOCK_TOPIC}`, {
    source: "settings",
    ruleId: null,
    ruleName: null,
    text: "Stock news only while the rules split by stock or an order waits for stock",
  });

export type SubscriptionChange = "subscribed" | "unsubscribed" | "kept" | "none";

/**
 * Subscribes or unsubscribes the shop as it needs, through the executor (applyStep), keeping the
 * subscription's id. A subscription Shopify made whose answer was lost ("Address for this topic has
 * already been taken") is looked up and kept rather than made twice; one Shopify no longer has (an
 * uninstall deleted it) is forgotten. Once subscribed, every order already waiting for stock is
 * planned again on a fresh read: stock that arrived before the subscription existed (between a
 * plan reading the shop's stock and this call) sent no update, and must not strand the wait.
 */
export async function syncStockSubscription(
  deps: { db: Db; gateway: AdminGateway; queue: Pick<JobQueue, "enqueue">; now: () => Date },
  shop: string,
  appUrl: string,
  /**
   * Ask Shopify whether the kept subscription still exists (reconciliation's): one deleted outside
   * the app (staff, support, a script with the app's token) left a row that said "kept" forever.
   */
  verify = false,
): Promise<SubscriptionChange> {
  const { db, gateway } = deps;
  const uri = stockTopicUri(appUrl);
  const kept = await db.shopWebhookSubscription.findUnique({
    where: { shop_topic: { shop, topic: STOCK_TOPIC } },
  });
  const needed = await needsStockNews(db, shop);
  if (!needed) {
    if (!kept) return "none";
    await unsubscribe(db, gateway, shop, kept.subscriptionId);
    return "unsubscribed";
  }
  if (
    kept &&
    kept.uri === uri &&
    (!verify || (await stillSubscribed(gateway, kept.subscriptionId)))
  )
    return "kept";
  const id = await subscribe(gateway, uri);
  await db.shopWebhookSubscription.upsert({
    where: { shop_topic: { shop, topic: STOCK_TOPIC } },
    create: { shop, topic: STOCK_TOPIC, subscriptionId: id, uri },
    update: { subscriptionId: id, uri },
  });
  // The app's address moved: the old subscription would send every update twice.
  if (kept && kept.subscriptionId !== id)
    await unsubscribe(db, gateway, shop, kept.subscriptionId, false);
  const waiting = await db.stockWait.findMany({
    where: { shop },
    select: { orderId: true },
    distinct: ["orderId"],
  });
  if (waiting.length > 0)
    await replanWhenStockArrives(
      deps.queue,
      shop,
      waiting.map((w) => w.orderId),
      deps.now(),
    );
  return "subscribed";
}

/** The app's subscriptions to the topic on the shop, as Shopify lists them. */
async function subscriptionsToTopic(gateway: AdminGateway): Promise<{ id: string; uri: string }[]> {
  const data = await gateway.request<{
    webhookSubscriptions: { nodes: { id: string; uri: string }[] };
  }>(WEBHOOK_SUBSCRIPTIONS_QUERY, { topics: ["INVENTORY_LEVELS_UPDATE"] });
  return data.webhookSubscriptions.nodes;
}

/** Whether Shopify still has the app's subscription to the topic with this id. */
async function stillSubscribed(gateway: AdminGateway, id: string): Promise<boolean> {
  return (await subscriptionsToTopic(gateway)).some((n) => n.id === id);
}

async function subscribe(gateway: AdminGateway, uri: string): Promise<string> {
  try {
    const payload = await applyStep(
      gateway,
      shopStep("webhookSubscriptionCreate", {
        topic: "INVENTORY_LEVELS_UPDATE",
        webhookSubscription: { uri },
      }),
    );
    return (payload.webhookSubscription as { id: string }).id;
  } catch (error) {
    // Made before, its answer lost (or our row erased): Shopify's, found by topic and address.
    if (!(error instanceof ShopifyUserErrors)) throw error;
    const found = (await subscriptionsToTopic(gateway)).find((n) => n.uri === uri);
    if (!found) throw error;
    return found.id;
  }
}

async function unsubscribe(
  db: Db,
  gateway: AdminGateway,
  shop: string,
  id: string,
  forget = true,
): Promise<void> {
  try {
    await applyStep(gateway, shopStep("webhookSubscriptionDelete", { id }));
  } catch (error) {
    // Shopify has it no longer (deleted on an uninstall, or by an earlier try whose answer was
    // lost): nothing left to end.
    if (!(error instanceof ShopifyUserErrors)) throw error;
  }
  if (forget)
    await db.shopWebhookSubscription.deleteMany({
      where: { shop, topic: STOCK_TOPIC, subscriptionId: id },
    });
}

export interface StockSubscriptionJob {
  shop: string;
}

/**
 * After the shop's rules changed (saved, switched on or off, deleted): a job checks whether the
 * shop needs stock news now. Keyed per change, so a change made while one runs is checked after.
 * First in line (ADR 100, 103): the merchant who saved a rule that splits by stock expects its
 * first order to hear of stock, so an idle worker is told at once (pg-boss's notification, the
 * embedded queue's wake file for a worker process of its own) rather than finding the check at
 * its next 30-second poll, and no other shop's check waiting for the slot goes before it.
 */
export async function stockNewsMayChange(
  queue: Pick<JobQueue, "enqueue">,
  shop: string,
  now = new Date(),
  options: { firstInLine?: boolean } = { firstInLine: true },
): Promise<void> {
  await queue.enqueue(QUEUES.stockSubscription, { shop } satisfies StockSubscriptionJob, {
    key: `stock-subscription:${shop}:${now.getTime()}:${randomUUID()}`,
    shop,
    maxAttempts: 5,
    ...(options.firstInLine ? { firstInLine: true } : {}),
  });
}

/**
 * An order's wait for stock ended (shipped, cancelled): when it was the shop's last and no enabled
 * rule splits by stock, nothing needs stock news any more, so the check is queued now rather than
 * left to the ten-minute reconciliation, which meanwhile had every stock movement sent and set
 * aside (ADR 103). `rulesSplitByStock`, when the caller knows it (the router read the rules), saves
 * the read. No one waits on a screen for it: its place in line is an ordinary one.
 */
export async function stockNewsMayEnd(
  deps: { db: Db; queue: Pick<JobQueue, "enqueue">; now: () => Date },
  shop: string,
  rulesSplitByStock?: boolean,
): Promise<boolean> {
  if (rulesSplitByStock) return false;
  const waiting = await deps.db.stockWait.findFirst({ where: { shop }, select: { orderId: true } });
  if (waiting) return false;
  if (rulesSplitByStock === undefined && (await rulesSplitStock(deps.db, shop))) return false;
  await stockNewsMayChange(deps.queue, shop, deps.now(), { firstInLine: false });
  return true;
}

/** Whether an enabled rule of the shop splits by stock. */
async function rulesSplitStock(db: Db, shop: string): Promise<boolean> {
  const rows = await db.rule.findMany({ where: { shop, enabled: true } });
  return ruleSetFromStored(shop, rows).rules.some((rule) =>
    rule.actions.some((action) => action.type === "split" && action.by === "stock"),
  );
}

/** The stock-subscription job: one check at a time per shop, so two never subscribe twice. */
export async function handleStockSubscription(deps: WorkerDeps, job: Job): Promise<void> {
  const { shop } = job.payload as StockSubscriptionJob;
  await checkStockNews(deps, shop);
}

/**
 * The check itself, for the job and for reconciliation (after install or sign-in, every ten
 * minutes), which heals a lost answer or a check that never ran. Without the app's URL (a worker
 * set up without it) nothing is changed.
 */
export async function checkStockNews(
  deps: WorkerDeps,
  shop: string,
  options: { verify?: boolean } = {},
): Promise<SubscriptionChange> {
  if (!deps.appUrl) return "none";
  const appUrl = deps.appUrl;
  const gateway = await deps.gatewayFor(shop);
  const change = await deps.queue.exclusive(`stock-subscription:${shop}`, () =>
    syncStockSubscription({ ...deps, gateway }, shop, appUrl, options.verify),
  );
  if (change === "subscribed" || change === "unsubscribed")
    logEvent("info", `stock_news.${change}`, { shop });
  return change;
}
