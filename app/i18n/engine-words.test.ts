// What the engine says about an order (needs attention, the dry run) reads in the admin's language:
// every key it can name is in both catalogues, and real plans read in English and in German.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { TFunction } from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import { planCancel } from "../routing/cancel";
import { planCancelLines } from "../routing/cancel-lines";
import { chooseLocation, noLocationWords } from "../routing/capability";
import { planRepair } from "../routing/drift";
import { paidExtraChargeSteps, sendInvoiceStep } from "../routing/extra-charge";
import { completeRemakeStep, linkRemakeSteps } from "../routing/remake";
import type { Step, StepWhy } from "../routing/steps";
import { diffPlans, dryRun } from "../routing/dry-run";
import { plan } from "../routing/plan";
import { readiness } from "../routing/settled";
import {
  LAB,
  NOW,
  PROFILES,
  SETTINGS,
  aFulfillmentOrder,
  aLine,
  aMug,
  aRule,
  aSnapshot,
  anOrder,
  lineGid,
  onePrintAtStudio,
  STUDIO,
} from "../routing/testing.fixtures";
import { engineSaid, merchantDid, triggerWords, words } from "../routing/words";
import { translatorOf } from "./i18next.server";
import { readWordsList, renderWords } from "./words";

/** Keys the engine names literally: `engineSaid("…")` and the capability words' `capabilitySaid("…")`. */
function engineKeys(): string[] {
  const keys = new Set<string>();
  const dir = "app/routing";
  for (const name of readdirSync(dir).filter((n) => /\.ts$/.test(n) && !/\.test\.ts$/.test(n))) {
    const text = readFileSync(join(dir, name), "utf8");
    for (const m of text.matchAll(/\bengineSaid\(\s*"([^"]+)"/g)) keys.add(`engine.${m[1]}`);
    if (name === "capability.ts")
      for (const m of text.matchAll(/\bcapabilitySaid\(\s*"([^"]+)"/g))
        keys.add(`engine.capability.${m[1]}`);
  }
  // Built at run time: the fulfilment request's troubles (plan-send.ts), a hold by its purpose,
  // the list joiners.
  for (const key of [
    "attention.requestNotAllowed",
    "attention.fulfillNotAllowed",
    "attention.rejectedFallbackGone",
    "attention.rejectedFallbackIsService",
    "attention.rejectedMoveNotAllowed",
    "hold.review",
    "hold.stock",
    "capability.and",
    "capability.then",
    "explain.archiveOnce.fulfilled",
    "explain.archiveOnce.delivered",
    "requestStatus.SUBMITTED",
    "requestStatus.ACCEPTED",
    "requestStatus.CANCELLATION_REQUESTED",
    "requestStatus.CANCELLATION_REJECTED",
  ])
    keys.add(`engine.${key}`);
  return [...keys].sort();
}

describe("what the engine says, in the admin's language", () => {
  let en: TFunction;
  let de: TFunction;
  beforeAll(async () => {
    en = await translatorOf("en");
    de = await translatorOf("de");
  });

  it("finds every key the engine names in English and German", () => {
    const keys = engineKeys();
    expect(keys.length).toBeGreaterThan(35);
    for (const t of [en, de]) {
      const missing = keys.filter((key) => String(t(key as never, { count: 2 } as never)) === key);
      expect(missing).toEqual([]);
    }
  });

  it("says a hold Shopify does not allow, with its reason and status, in both languages", () => {
    const print = aLine(1);
    const snapshot = aSnapshot({
      lineItems: [print],
      fulfillmentOrders: [
        aFulfillmentOrder(1, LAB, [print], { supportedActions: ["CREATE_FULFILLMENT"] }),
      ],
    });
    const risky = aRule({
      id: "risky",
      name: "Risky",
      actions: [{ type: "hold", reason: "OTHER" }],
    });
    const [reason] = plan(snapshot, [risky], SETTINGS, PROFILES, { now: NOW }).needsAttention;
    expect(renderWords(en, reason!.message)).toBe(
      "Could not place the hold (Other) at “WHCC Lab”: Shopify does not allow a hold on it now (open).",
    );
    expect(renderWords(de, reason!.message)).toBe(
      "Die Zurückhaltung (Sonstiges) konnte bei „WHCC Lab“ nicht gesetzt werden: Shopify erlaubt jetzt kein Zurückhalten (offen).",
    );
  });

  it("says a plan's steps, with their counts and quoted values, in both languages", () => {
    const lab = aRule({
      id: "lab",
      name: "Lab",
      actions: [
        { type: "move", locationId: LAB.id },
        { type: "add_order_tags", tags: ["lab", "prints"] },
      ],
    });
    const steps = plan(onePrintAtStudio(), [lab], SETTINGS, PROFILES, { now: NOW }).steps;
    expect(steps.map((step) => renderWords(en, step.summary))).toEqual([
      "Move the fulfillment order from “Studio” to “WHCC Lab”",
      "Add order tags “lab”, “prints”",
    ]);
    expect(steps.map((step) => renderWords(de, step.summary))).toEqual([
      "Den Fulfillment-Auftrag von „Studio“ nach „WHCC Lab“ verschieben",
      "Bestell-Tags hinzufügen: „lab“, „prints“",
    ]);
    const fulfill = plan(
      onePrintAtStudio(),
      [],
      { ...SETTINGS, defaultMode: "automatic" },
      PROFILES,
      {
        now: NOW,
      },
    ).steps;
    expect(fulfill.map((step) => renderWords(de, step.summary))).toEqual([
      "1 Artikel bei „Studio“ als ausgeführt markieren (Kunde wird benachrichtigt)",
    ]);
  });

  it("says why a pending payment waits, in both languages", () => {
    const pending = onePrintAtStudio(anOrder({ displayFinancialStatus: "PENDING" }));
    const { because } = readiness(pending, []);
    expect(renderWords(en, because)).toBe(
      "Payment is pending: the rules decide once Shopify reports the order paid or authorized.",
    );
    expect(renderWords(de, because)).toBe(
      "Die Zahlung ist ausstehend: Die Regeln entscheiden, sobald Shopify die Bestellung als bezahlt oder autorisiert meldet.",
    );
  });

  it("says why no location can produce a line, joining each language's way", () => {
    const mug = aMug(1, { variantOptions: [{ name: "Color", value: "Red" }] });
    const choice = chooseLocation(mug, PROFILES);
    const why = noLocationWords("gaps" in choice ? choice.gaps : []);
    const line = engineSaid("line.withSku", { title: "Mug", sku: "MUG-1" });
    const message = engineSaid("attention.noCapableLocation", { line, why });
    expect(renderWords(en, message)).toBe(
      "Line “Mug”, SKU MUG-1: no location can produce it: “Studio” does not make product type “Mug” and has no option “Color” (the line wants “Red”); " +
        "“WHCC Lab” does not make product type “Mug” and has no option “Color” (the line wants “Red”); “Print Partner” cannot do Color “Red”.",
    );
    expect(renderWords(de, message)).toBe(
      "Position „Mug“, SKU MUG-1: Kein Standort kann sie herstellen: „Studio“ stellt den Produkttyp „Mug“ nicht her und hat keine Option „Color“ (die Position will „Red“); " +
        "„WHCC Lab“ stellt den Produkttyp „Mug“ nicht her und hat keine Option „Color“ (die Position will „Red“); „Print Partner“ kann Color „Red“ nicht.",
    );
    expect(renderWords(de, noLocationWords([]))).toBe(
      "Kein Standort kann sie herstellen: Es sind keine Fähigkeitsprofile eingerichtet",
    );
  });

  it("counts the items left behind in each language's plural", () => {
    const say = (count: number) =>
      engineSaid("attention.workLeftAfterCancellation", {
        service: "WHCC Lab",
        count,
        status: words("findings.status.CANCELLED"),
        location: "WHCC Lab",
      });
    expect(renderWords(en, say(1))).toMatch(
      /^“WHCC Lab” accepted the cancellation, and 1 item on the canceled fulfillment order at “WHCC Lab” is still to be fulfilled;/,
    );
    expect(renderWords(en, say(3))).toMatch(
      /and 3 items .* are still to be fulfilled; Shopify shows them/,
    );
    expect(renderWords(de, say(3))).toMatch(
      /^„WHCC Lab“ hat die Stornierung angenommen, und 3 Artikel .* sind noch auszuführen;/,
    );
  });

  it("says what a rule change would change for the attention it resolves", () => {
    const gone = aRule(
      {
        id: "gone",
        name: "Gone",
        actions: [{ type: "move", locationId: "gid://shopify/Location/99" }],
      },
      [],
    );
    const diff = diffPlans(
      dryRun(onePrintAtStudio(), [gone], SETTINGS, PROFILES),
      dryRun(onePrintAtStudio(), [], SETTINGS, PROFILES),
    );
    expect(diff.summary.map((line) => renderWords(en, line))).toEqual([
      "Would no longer need your attention: Rule “Gone” moves it to a location the shop no longer has; it stays at “Studio” and waits for you.",
    ]);
    expect(diff.summary.map((line) => renderWords(de, line))).toEqual([
      "Würde deine Aufmerksamkeit nicht mehr erfordern: Regel „Gone“ verschiebt ihn an einen Standort, den der Shop nicht mehr hat; er bleibt bei „Studio“ und wartet auf dich.",
    ]);
  });

  it("reads a stored decision trace: Words in the reader's language, older English as it is", () => {
    const stored = JSON.stringify([
      "Payment is paid.",
      engineSaid("attention.requestRejected", { service: "WHCC Lab" }),
      { not: "words" },
    ]);
    expect(readWordsList(stored).map((line) => renderWords(de, line))).toEqual([
      "Payment is paid.",
      "„WHCC Lab“ hat die Fulfillment-Anfrage abgelehnt; der Auftrag wartet auf dich, statt erneut gesendet zu werden.",
    ]);
    expect(readWordsList("not json")).toEqual([]);
  });

  it("says the cancel, after-sales and repair plans' steps and the cancel's reasons in both languages", () => {
    const why: StepWhy = { source: "approval", ruleId: null, ruleName: null, text: "" };
    const say = (steps: Step[]) => ({
      en: steps.map((s) => renderWords(en, s.summary)),
      de: steps.map((s) => renderWords(de, s.summary)),
    });
    const print = aLine(1, { quantity: 2, unfulfilledQuantity: 2 });
    const hold = {
      id: "gid://shopify/FulfillmentHold/1",
      reason: "OTHER" as const,
      reasonNotes: null,
      handle: "fr-default-review",
      heldByRequestingApp: true,
    };
    const order = aSnapshot({
      lineItems: [print],
      fulfillmentOrders: [
        aFulfillmentOrder(1, LAB, [print], { requestStatus: "SUBMITTED" }),
        aFulfillmentOrder(2, STUDIO, [print], { status: "ON_HOLD", holds: [hold] }),
      ],
    });
    const request = {
      reason: "CUSTOMER" as const,
      refund: "original" as const,
      restock: true,
      notifyCustomer: false,
      staffNote: null,
    };
    const cancel = planCancel(order, request, why);
    expect(cancel.kind === "cancel" && say(cancel.steps)).toEqual({
      en: [
        "Withdraw the request to “WHCC Lab”",
        "Release the hold at “Studio”",
        "Cancel order #1001",
      ],
      de: [
        "Die Anfrage an „WHCC Lab“ zurückziehen",
        "Die Zurückhaltung bei „Studio“ aufheben",
        "Bestellung #1001 stornieren",
      ],
    });
    const accepted = aSnapshot({
      lineItems: [print],
      fulfillmentOrders: [
        aFulfillmentOrder(1, LAB, [print], { status: "IN_PROGRESS", requestStatus: "ACCEPTED" }),
      ],
    });
    const refused = planCancel(accepted, request, why);
    expect(refused.kind === "refused" && say(refused.steps).de).toEqual([
      "„WHCC Lab“ bitten, die Arbeit zu stornieren",
    ]);
    expect(refused.kind === "refused" && renderWords(de, refused.reason)).toMatch(
      /^WHCC Lab hat Arbeit an dieser Bestellung angenommen .* Die App hat um Stornierung gebeten;/,
    );
    const gone = planCancel(
      aSnapshot({
        order: anOrder({ cancelledAt: "2025-03-03T12:00:00Z" }),
        lineItems: [],
        fulfillmentOrders: [],
      }),
      request,
      why,
    );
    expect(gone.kind === "done" && renderWords(en, gone.reason)).toBe("Order already canceled");

    const lines = planCancelLines(
      aSnapshot({ lineItems: [print], fulfillmentOrders: [aFulfillmentOrder(2, STUDIO, [print])] }),
      {
        currencyCode: "EUR",
        payments: [{ id: "gid://shopify/OrderTransaction/1", gateway: "manual", refundable: 5000 }],
        suggested: {
          amount: 2500,
          subtotal: 2500,
          tax: 0,
          transactions: [
            { parentId: "gid://shopify/OrderTransaction/1", gateway: "manual", amount: 2500 },
          ],
        },
      },
      { ...request, lines: [{ lineItemId: print.id, quantity: 2 }], amount: null },
      why,
    );
    expect(lines.kind === "cancel" && say(lines.steps)).toEqual({
      en: ["Cancel 2 items of #1001 and refund €25.00"],
      de: ["2 Artikel von #1001 stornieren und 25,00\u00a0€ erstatten"],
    });

    const remake = [
      completeRemakeStep(order.order.id, "gid://shopify/DraftOrder/5", why),
      ...linkRemakeSteps({ id: order.order.id, note: null }, { name: "#1002" }, "Print fault", why),
    ];
    expect(say(remake)).toEqual({
      en: [
        "Complete the remake's draft order",
        "Tag the order “remade”",
        "Note on the order that it was remade as #1002",
      ],
      de: [
        "Den Bestellentwurf der Neuanfertigung abschließen",
        "Die Bestellung mit „remade“ taggen",
        "Auf der Bestellung notieren, dass sie als #1002 neu angefertigt wurde",
      ],
    });
    const charge = [
      sendInvoiceStep(order.order.id, "gid://shopify/DraftOrder/6", "Thanks!", why),
      ...paidExtraChargeSteps(order.order.id, false, why),
    ];
    expect(say(charge).en).toEqual([
      "Email the invoice to the customer with the message: Thanks!",
      "Tag the order “extra-charge-paid”",
      "Remove the order's tag “extra-charge-open”",
    ]);
    expect(say(charge).de[0]).toBe(
      "Die Rechnung per E-Mail an den Kunden senden, mit der Nachricht: Thanks!",
    );

    const repair = planRepair(
      accepted,
      {
        lineItemIds: [lineGid(1)],
        to: { locationId: STUDIO.id, name: STUDIO.name, fulfillmentServiceHandle: null },
        then: "leave",
        cancellationRequested: [],
        notifyCustomer: false,
      },
      why,
    );
    expect(repair.state === "steps" && say(repair.steps)).toEqual({
      en: ["Ask “WHCC Lab” to cancel their work"],
      de: ["„WHCC Lab“ bitten, die Arbeit zu stornieren"],
    });
  });

  it("reads why a step was taken from rows stored with the after-sales keys of before, in today's layout", () => {
    const remakeBy = {
      key: "afterSalesAnswers.why.remakeAskedBy",
      params: { actor: "Lena", reason: "Wrong crop" },
    };
    expect(renderWords(de, remakeBy)).toBe(
      "Neuanfertigung vom Händler angefordert: Wrong crop (von Lena)",
    );
    expect(renderWords(en, remakeBy)).toBe(
      renderWords(en, merchantDid("remakeAsked", "Lena", { reason: "Wrong crop" })),
    );
    expect(renderWords(en, { key: "afterSalesAnswers.why.orderCanceled" })).toBe(
      "Canceled by the merchant",
    );
    const paid = { draft: "#D7", amount: "12.50", currency: "EUR", reason: "A3" };
    expect(renderWords(de, { key: "afterSalesAnswers.why.chargePaid", params: paid })).toBe(
      "Zusatzbetrag #D7 bezahlt: 12,50\u00a0€, A3",
    );
  });

  it("says which webhook started a decision, and only that Shopify told the app for rows from before", () => {
    const said = (cause: string | null) => renderWords(en, triggerWords("webhook", cause));
    expect(said("orders/paid")).toBe("When the order was paid");
    expect(said("orders/create")).toBe("When the order was placed");
    expect(said("orders/create:authorized")).toBe(
      "When the order was placed with its payment authorized",
    );
    expect(said("fulfillment_orders/order_routing_complete")).toMatch(/^When Shopify assigned/);
    expect(said(null)).toBe("When Shopify told the app about the order");
    expect(renderWords(de, triggerWords("webhook", "orders/create:authorized"))).toBe(
      "Als die Bestellung mit autorisierter Zahlung aufgegeben wurde",
    );
    expect(renderWords(en, triggerWords("reconciliation", "orders/paid"))).toBe(
      "When the app checked for orders Shopify did not tell it about",
    );
  });
});
