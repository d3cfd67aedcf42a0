// Steps: one Shopify mutation each, with its variables as input and a key that is the same whenever the same change is planned.
import { canonicalHash } from "./hash";
import { gidTail, type FulfillmentHoldReason, type Money } from "./snapshot";
import type { StoredWords } from "./words";

export interface FulfillmentOrderLineItemInput {
  /** The fulfillment order line item id. */
  id: string;
  quantity: number;
}

/**
 * Each kind is named after the Admin API mutation the executor calls, and its input is exactly
 * that mutation's GraphQL variables.
 */
export interface StepInputs {
  fulfillmentOrderHold: {
    id: string;
    fulfillmentHold: {
      reason: FulfillmentHoldReason;
      reasonNotes: string;
      handle: string;
      notifyMerchant: boolean;
    };
  };
  /** holdIds is never empty: releasing without ids would release every hold, including other people's. */
  fulfillmentOrderReleaseHold: { id: string; holdIds: string[] };
  /** The listed lines go to a new fulfillment order; the rest stay. */
  fulfillmentOrderSplit: {
    fulfillmentOrderSplits: {
      fulfillmentOrderId: string;
      fulfillmentOrderLineItems: FulfillmentOrderLineItemInput[];
    }[];
  };
  fulfillmentOrderMerge: {
    fulfillmentOrderMergeInputs: { mergeIntents: { fulfillmentOrderId: string }[] }[];
  };
  /**
   * Without `fulfillmentOrderLineItems` the whole fulfillment order; with them only those lines and
   * quantities go to the new location, the rest stay where they are (ADR 030).
   */
  fulfillmentOrderMove: {
    id: string;
    newLocationId: string;
    fulfillmentOrderLineItems?: FulfillmentOrderLineItemInput[];
  };
  fulfillmentOrderSubmitFulfillmentRequest: {
    id: string;
    message?: string;
    notifyCustomer: boolean;
  };
  fulfillmentCreate: {
    fulfillment: {
      lineItemsByFulfillmentOrder: {
        fulfillmentOrderId: string;
        fulfillmentOrderLineItems: FulfillmentOrderLineItemInput[];
      }[];
      notifyCustomer: boolean;
      /** A repair fulfils with the tracking the lab reported. */
      trackingInfo?: { company: string | null; number: string | null; url: string | null };
    };
  };
  /** Works at once while a request is SUBMITTED or CANCELLATION_REQUESTED; the work returns on a replacement. */
  fulfillmentOrderCancel: { id: string };
  /** An accepted request can only be taken back by asking the fulfilment service to cancel it. */
  fulfillmentOrderSubmitCancellationRequest: { id: string; message?: string };
  orderCapture: {
    input: { id: string; parentTransactionId: string; amount: string; currency: string };
  };
  tagsAdd: { id: string; tags: string[] };
  /** The whole new staff note: the existing note with the rules' lines appended. */
  orderUpdate: { input: { id: string; note: string } };
  orderClose: { input: { id: string } };
  /**
   * Cancels the whole order (2025-07+ arguments). Without refundMethod nothing captured is given
   * back; an authorization is released either way. Shopify runs it as a job.
   */
  orderCancel: {
    orderId: string;
    reason: OrderCancelReason;
    refundMethod?:
      { originalPaymentMethodsRefund: true } | { storeCreditRefund: { expiresAt?: string | null } };
    restock: boolean;
    notifyCustomer: boolean;
    staffNote?: string | null;
  };
  /**
   * A new order for the customer made by the app (a remake): the lines with the price the
   * merchant set (0 for no charge), the note and tags that link it to the original.
   */
  draftOrderCreate: {
    input: {
      lineItems: (
        | {
            variantId: string;
            quantity: number;
            priceOverride: Money;
            customAttributes: { key: string; value: string }[];
          }
        /** A custom item (an extra charge): a title and a price, nothing from the catalogue. */
        | {
            title: string;
            quantity: number;
            originalUnitPriceWithCurrency: Money;
            requiresShipping: boolean;
            taxable: boolean;
          }
      )[];
      email: string | null;
      shippingAddress?: DraftAddress | null;
      note: string;
      tags: string[];
      /**
       * The customer's currency ("The payment currency of the customer for this draft order"): an
       * extra charge is invoiced in the currency the customer paid the order in (ADR 093).
       */
      presentmentCurrencyCode?: string;
      customAttributes?: { key: string; value: string }[];
    };
  };
  /** E-mails the draft's invoice to its customer (an extra charge). */
  /** `email.customMessage`: the merchant's words to the customer in Shopify's invoice e-mail. */
  draftOrderInvoiceSend: { id: string; email?: { customMessage: string } };
  tagsRemove: { id: string; tags: string[] };
  /** Deletes a draft order (an extra charge's, once its order is canceled): its invoice no longer pays. */
  draftOrderDelete: { input: { id: string } };
  /** Turns the draft into an order, marked as paid: Shopify routes it like any order. */
  draftOrderComplete: { id: string };
  /**
   * Subscribes the shop to a topic the toml does not hold for every shop (ADR 101): the shop's,
   * not an order's, so such a Step names no order.
   */
  webhookSubscriptionCreate: {
    topic: "INVENTORY_LEVELS_UPDATE";
    webhookSubscription: { uri: string };
  };
  /** Ends a shop-specific subscription the app made (ADR 101). */
  webhookSubscriptionDelete: { id: string };
  /**
   * Cancels some lines and gives money back (RefundInput): each line's quantity cancelled with
   * its stock back at a location (CANCEL, for unfulfilled items) or not restocked; the money to
   * the original payments (REFUND transactions against each sale or capture) or as store credit.
   */
  refundCreate: {
    input: {
      orderId: string;
      /**
       * The customer's (presentment) currency: "required for orders where the currency and
       * presentment currency differ" (RefundInput.currency); the amounts are in it.
       */
      currency: string;
      notify: boolean;
      note: string | null;
      refundLineItems: {
        lineItemId: string;
        quantity: number;
        restockType: "CANCEL" | "NO_RESTOCK";
        locationId?: string;
      }[];
      transactions: {
        orderId: string;
        kind: "REFUND";
        gateway: string;
        parentId: string;
        amount: string;
      }[];
      refundMethods: { storeCreditRefund: { amount: Money } }[];
    };
  };
}

/** Shopify's MailingAddressInput, the fields a remake copies from the original order. */
export interface DraftAddress {
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  provinceCode: string | null;
  zip: string | null;
  countryCode: string | null;
  phone: string | null;
}

/** Shopify's OrderCancelReason. */
export const ORDER_CANCEL_REASONS = [
  "CUSTOMER",
  "DECLINED",
  "FRAUD",
  "INVENTORY",
  "OTHER",
  "STAFF",
] as const;
export type OrderCancelReason = (typeof ORDER_CANCEL_REASONS)[number];

export type StepKind = keyof StepInputs;

export const STEP_KINDS: readonly StepKind[] = [
  "fulfillmentOrderHold",
  "fulfillmentOrderReleaseHold",
  "fulfillmentOrderSplit",
  "fulfillmentOrderMerge",
  "fulfillmentOrderMove",
  "fulfillmentOrderSubmitFulfillmentRequest",
  "fulfillmentCreate",
  "fulfillmentOrderCancel",
  "fulfillmentOrderSubmitCancellationRequest",
  "orderCapture",
  "tagsAdd",
  "orderUpdate",
  "orderClose",
  "orderCancel",
  "draftOrderCreate",
  "draftOrderComplete",
  "refundCreate",
  "draftOrderInvoiceSend",
  "tagsRemove",
  "draftOrderDelete",
  "webhookSubscriptionCreate",
  "webhookSubscriptionDelete",
];

/** Where a step came from, for the decision log. */
export interface StepWhy {
  /**
   * "rule": a merchant rule; "settings": a default from Settings; "approval": the merchant
   * approved; "reconcile": no single rule, but Shopify holds what the rules no longer want.
   */
  source: "rule" | "settings" | "approval" | "reconcile";
  ruleId: string | null;
  ruleName: string | null;
  /**
   * The action, with who asked for it: `Rule "Lab prints": hold for review`. Words the reader's
   * screen says in their language; text where a sentence is not in the catalogue yet.
   */
  text: StoredWords;
  /** For a rule: why it matched, with the values (Words: `Rule “Lab prints” matched: Product type is “Print” (…)`). */
  matched?: StoredWords | null;
}

interface StepBase {
  /** Stable: the same change to the same order and fulfillment order always has the same key. */
  key: string;
  orderId: string;
  fulfillmentOrderId: string | null;
  /** What the step does, in the merchant's words: `Hold for review at "Studio"` (Words, or text). */
  summary: StoredWords;
  why: StepWhy;
}

export type Step = { [K in StepKind]: StepBase & { kind: K; input: StepInputs[K] } }[StepKind];
export type StepOf<K extends StepKind> = Extract<Step, { kind: K }>;

/** Steps that change which fulfillment orders exist or where they are: Shopify gives new ids. */
export const STRUCTURAL_STEP_KINDS: readonly StepKind[] = [
  "fulfillmentOrderSplit",
  "fulfillmentOrderMerge",
  "fulfillmentOrderMove",
  "fulfillmentOrderCancel",
  "orderCancel",
  "refundCreate",
];

/**
 * `<order>:<fulfillment order>:<kind>:<hash>`. The hash covers the order, the fulfillment order,
 * the kind and what the step changes (its canonical input), never the why or the summary:
 * renaming a rule or planning the same change for another reason does not make it a new step.
 */
export function stepKey(
  kind: StepKind,
  orderId: string,
  fulfillmentOrderId: string | null,
  identity: unknown,
): string {
  const hash = canonicalHash([orderId, fulfillmentOrderId, kind, identity]);
  return `${gidTail(orderId)}:${fulfillmentOrderId ? gidTail(fulfillmentOrderId) : "-"}:${kind}:${hash}`;
}

/** What makes two steps the same change. A hold is its handle and reason: its notes are words for people and name the rule. */
function identityOf(kind: StepKind, input: StepInputs[StepKind]): unknown {
  if (kind === "fulfillmentOrderHold") {
    const hold = input as StepInputs["fulfillmentOrderHold"];
    return {
      id: hold.id,
      handle: hold.fulfillmentHold.handle,
      reason: hold.fulfillmentHold.reason,
    };
  }
  return input;
}

/**
 * `on` is the fulfillment order as it stands when the Step is planned (where it is and which lines
 * it carries), for a Step that is a new change once the fulfillment order has changed since: a hold
 * released so a rule could move or split the fulfillment order and wanted again afterwards is a
 * second hold, and a key seen before in the decision would be skipped as done.
 */
export function makeStep<K extends StepKind>(
  kind: K,
  orderId: string,
  fulfillmentOrderId: string | null,
  input: StepInputs[K],
  summary: StoredWords,
  why: StepWhy,
  on?: unknown,
): StepOf<K> {
  const identity = identityOf(kind, input);
  return {
    key: stepKey(kind, orderId, fulfillmentOrderId, on === undefined ? identity : [identity, on]),
    kind,
    orderId,
    fulfillmentOrderId,
    input,
    summary,
    why,
  } as unknown as StepOf<K>;
}
