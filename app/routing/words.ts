// A sentence for the merchant as data: a catalogue key and its values. Services and the engine say
// what happened with these; whoever shows it (a screen, the order block, a report read later)
// puts it into the reader's language, so a stored message reads in German for a German admin.
import { DECISION_TRIGGERS } from "./vocabulary";

/**
 * Words for the merchant: a key of the catalogue and its values. A value may be Words itself
 * (a status, an age, a hold reason), rendered first, or a list of Words, rendered as a list.
 */
export interface Words {
  key: string;
  params?: Record<string, string | number | Words | (Words | string)[]>;
}

/** Stored words or, for rows written before words were kept (and Shopify's own text), plain text. */
export type StoredWords = Words | string;

export function words(key: string, params?: Words["params"]): Words {
  return params ? { key, params } : { key };
}

/** Words of the "serviceMessages" section: what commands, repairs and bulk jobs answer. */
export function said(key: string, params?: Words["params"]): Words {
  return words(`serviceMessages.${key}`, params);
}

/**
 * Shopify's answer (a userError's message) framed by a catalogue sentence saying what it is; the
 * app's own Words, for a refusal Shopify gave no words for, as they are.
 */
export function shopifyRefused(refusal: StoredWords): Words {
  return typeof refusal === "string" ? said("shopifyRefused", { shopify: refusal }) : refusal;
}

/**
 * An amount of money as words: rendered in the reader's locale and the money's currency
 * ("€12.50", "12,50 €"), not "12.50 EUR" fixed when it was said.
 */
export function moneyWords(amount: string, currencyCode: string): Words {
  return words("common.money", { amount, currency: currencyCode });
}

/** Words of the "engine" section: what the planner says about an order (needs attention, why). */
export function engineSaid(key: string, params?: Words["params"]): Words {
  return words(`engine.${key}`, params);
}

/**
 * What the merchant did, as a Step's why (`engine.why.merchant.<did>`: held, a remake asked
 * for…), naming who when the admin says: one layout for every command and after-sales action.
 */
export function merchantDid(did: string, actor: string | null, params?: Words["params"]): Words {
  const what = engineSaid(`why.merchant.${did}`, params);
  return actor ? engineSaid("why.byActor", { what, actor }) : what;
}

/** A Shopify status in the small letters a sentence says it with ("closed", "in progress"). */
export function statusWords(status: string): Words {
  return words(`findings.status.${status}`);
}

/** Which webhook started a decision (Decision.cause) → its words under order.trace.trigger.cause. */
const WEBHOOK_CAUSES: Record<string, string> = {
  "orders/create": "ordersCreate",
  "orders/create:authorized": "ordersCreateAuthorized",
  "orders/paid": "ordersPaid",
  "fulfillment_orders/order_routing_complete": "routingComplete",
};

/**
 * What made a decision, as the trace, the timeline, the exports and the order block say it: for a
 * webhook, which one (`cause`); a webhook decision stored before causes were kept says only that
 * Shopify told the app; an unknown trigger as stored.
 */
export function triggerWords(trigger: string, cause?: string | null): StoredWords {
  const webhook = trigger === "webhook" && cause ? WEBHOOK_CAUSES[cause] : undefined;
  if (webhook) return words(`order.trace.trigger.cause.${webhook}`);
  return (DECISION_TRIGGERS as readonly string[]).includes(trigger)
    ? words(`order.trace.trigger.${trigger}`)
    : trigger;
}
