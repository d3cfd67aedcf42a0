// Fulfilling lines in-house from the order screen: chosen quantities, the carrier from Shopify's
// list, tracking number and URL, whether the customer is told — one fulfillmentCreate Step through
// the executor, Shopify's refusal returned in its own words.
import { z } from "zod";
import { makeStep, type Step } from "../routing";
import { engineSaid, merchantDid } from "../routing/words";
import { readOrder, toOrderSnapshot } from "../shopify/snapshot.server";
import { TRACKING_COMPANIES, TRACKING_COMPANIES_BY_COUNTRY } from "../shopify/tracking-companies";
import { applyMerchantSteps, type CommandContext } from "./commands.server";
import type { RouteOrderDeps } from "./route-order.server";

/** A carrier Shopify does not list: the merchant types its name and gives the tracking URL. */
export const OTHER_CARRIER = "other";

const KNOWN = new Set([
  ...TRACKING_COMPANIES,
  ...Object.values(TRACKING_COMPANIES_BY_COUNTRY).flat(),
]);

export interface SelfFulfillRequest {
  fulfillmentOrderId: string;
  /** Fulfillment order line item id → how many to fulfill now. */
  lines: { id: string; quantity: number }[];
  /** Shopify's name for the carrier (exactly as listed), a name of the merchant's, or null. */
  company: string | null;
  number: string | null;
  url: string | null;
  notifyCustomer: boolean;
}

export type SelfFulfillField = "fulfillmentOrderId" | "lines" | "company" | "number" | "url";

const httpUrl = z
  .string()
  .trim()
  .max(2000)
  .url()
  .refine((u) => /^https?:\/\//i.test(u));

/**
 * Reads the form: `fulfillmentOrderId`, `line:<fulfillment order line item id>` = quantity,
 * `carrier` (a listed name or "other" with `carrierName`), `trackingNumber`, `trackingUrl`,
 * `notifyCustomer` ("on"). A carrier of the merchant's own needs a tracking URL: Shopify builds
 * links only for the companies it lists.
 */
export function parseSelfFulfillForm(
  form: FormData,
): { ok: true; value: SelfFulfillRequest } | { ok: false; errors: SelfFulfillField[] } {
  const text = (name: string) => String(form.get(name) ?? "").trim();
  const errors = new Set<SelfFulfillField>();
  const fulfillmentOrderId = text("fulfillmentOrderId");
  if (!fulfillmentOrderId.startsWith("gid://shopify/FulfillmentOrder/"))
    errors.add("fulfillmentOrderId");
  const lines: SelfFulfillRequest["lines"] = [];
  for (const [key, value] of form.entries()) {
    if (!key.startsWith("line:") || typeof value !== "string" || value.trim() === "") continue;
    const quantity = Number(value);
    if (!Number.isInteger(quantity) || quantity < 0) errors.add("lines");
    else if (quantity > 0) lines.push({ id: key.slice("line:".length), quantity });
  }
  if (lines.length === 0) errors.add("lines");
  const carrier = text("carrier");
  const company =
    carrier === OTHER_CARRIER ? text("carrierName") || null : carrier ? carrier : null;
  if (carrier === OTHER_CARRIER && !company) errors.add("company");
  if (carrier && carrier !== OTHER_CARRIER && !KNOWN.has(carrier)) errors.add("company");
  if (company && company.length > 100) errors.add("company");
  const number = text("trackingNumber") || null;
  if (number && (number.length > 100 || /\s/.test(number))) errors.add("number");
  const rawUrl = text("trackingUrl");
  const url = rawUrl ? (httpUrl.safeParse(rawUrl).success ? rawUrl : null) : null;
  if (rawUrl && !url) errors.add("url");
  if (carrier === OTHER_CARRIER && number && !url && !errors.has("url")) errors.add("url");
  if (errors.size > 0) return { ok: false, errors: [...errors] };
  return {
    ok: true,
    value: {
      fulfillmentOrderId,
      lines,
      company,
      number,
      url,
      notifyCustomer: form.get("notifyCustomer") === "on" || form.get("notifyCustomer") === "true",
    },
  };
}

export type SelfFulfillResult =
  | { ok: true; fulfilled: number }
  /** Refused before anything went to Shopify: the app can tell already. */
  | {
      ok: false;
      refusal: "noSuchOrder" | "notThisOrders" | "serviceOwns" | "notAllowed" | "tooMany";
      detail?: string;
    }
  /** Shopify refused (or did not answer): its words, inside a sentence of the catalogue. */
  | { ok: false; shopify: Awaited<ReturnType<typeof applyMerchantSteps>>["message"] };

/** Fulfills the chosen lines with the tracking given, through the one executor. */
export async function selfFulfill(
  deps: RouteOrderDeps,
  context: CommandContext,
  orderId: string,
  request: SelfFulfillRequest,
): Promise<SelfFulfillResult> {
  const snapshot = toOrderSnapshot(await readOrder(deps.gateway, orderId));
  if (!snapshot) return { ok: false, refusal: "noSuchOrder" };
  const fo = snapshot.fulfillmentOrders.find((f) => f.id === request.fulfillmentOrderId);
  if (!fo) return { ok: false, refusal: "notThisOrders" };
  // Since API 2024-10 only the fulfillment service fulfills what is assigned to it.
  if (fo.fulfillmentService)
    return { ok: false, refusal: "serviceOwns", detail: fo.fulfillmentService.name };
  for (const line of request.lines) {
    const known = fo.lineItems.find((l) => l.id === line.id);
    if (!known) return { ok: false, refusal: "notThisOrders" };
    if (line.quantity > known.remainingQuantity)
      return { ok: false, refusal: "tooMany", detail: String(known.remainingQuantity) };
  }
  // A hold or a closed fulfillment order is Shopify's to refuse: the merchant reads its words
  // beside the action (the order screen shows why it is held).
  const count = request.lines.reduce((n, l) => n + l.quantity, 0);
  // The carrier and number as the merchant typed them: names, not words to translate.
  const tracking = [request.company, request.number].filter(Boolean).join(" ");
  const trackingInfo =
    request.company || request.number || request.url
      ? { company: request.company, number: request.number, url: request.url }
      : undefined;
  const step: Step = makeStep(
    "fulfillmentCreate",
    orderId,
    fo.id,
    {
      fulfillment: {
        lineItemsByFulfillmentOrder: [
          { fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: request.lines },
        ],
        notifyCustomer: request.notifyCustomer,
        ...(trackingInfo ? { trackingInfo } : {}),
      },
    },
    tracking
      ? engineSaid("step.fulfillItemsTracked", { count, tracking })
      : engineSaid("step.fulfillItems", { count }),
    {
      source: "approval",
      ruleId: null,
      ruleName: null,
      text: merchantDid("fulfilledInHouse", context.actor),
    },
  );
  const result = await applyMerchantSteps(deps, context.shop, orderId, snapshot.order.name, [step]);
  return result.ok ? { ok: true, fulfilled: count } : { ok: false, shopify: result.message };
}
