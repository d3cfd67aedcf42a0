// Findings read in the merchant's language: every word a finding can carry is in the catalogue,
// English and German, and older rows that kept English text still read.
import { describe, expect, it } from "vitest";
import {
  DEFAULT_MONITOR_SETTINGS,
  detectDrift,
  detectStuck,
  type Finding,
  type Words,
} from "../routing/drift";
import {
  LAB,
  LOCATIONS,
  STUDIO,
  aDriftLine,
  aLabReport,
  aScannedFulfillmentOrder,
  foGid,
} from "../routing/testing.fixtures";
import { translatorOf } from "./i18next.server";
import { readWords, renderWords } from "./words";

const NOW = new Date("2025-03-03T12:00:00.000Z");

/** One finding of every kind, and every way each can be worded. */
function everyFinding(): Finding[] {
  const stuck = detectStuck(
    [
      aScannedFulfillmentOrder({ id: foGid(1) }),
      aScannedFulfillmentOrder({
        id: foGid(2),
        requestStatus: "CANCELLATION_REQUESTED",
        status: "IN_PROGRESS",
      }),
      aScannedFulfillmentOrder({
        id: foGid(3),
        requestStatus: "REJECTED",
        updatedAt: "2025-03-03T11:30:00.000Z",
      }),
      aScannedFulfillmentOrder({ id: foGid(4), requestStatus: "CLOSED", status: "INCOMPLETE" }),
      // A refused cancellation, worded both when Shopify offers asking again and when it does not.
      aScannedFulfillmentOrder({
        id: foGid(5),
        requestStatus: "CANCELLATION_REJECTED",
        status: "IN_PROGRESS",
        supportedActions: ["REQUEST_CANCELLATION"],
      }),
      aScannedFulfillmentOrder({
        id: foGid(6),
        requestStatus: "CANCELLATION_REJECTED",
        status: "IN_PROGRESS",
      }),
    ],
    LOCATIONS,
    DEFAULT_MONITOR_SETTINGS,
    NOW,
  );
  const moved = aScannedFulfillmentOrder({
    id: foGid(7),
    locationId: STUDIO.id,
    locationName: STUDIO.name,
    serviceName: null,
    requestStatus: "UNSUBMITTED",
  });
  const drift = detectDrift(
    [
      {
        report: aLabReport({}),
        shopify: { fulfillmentOrder: aScannedFulfillmentOrder({}), lines: [aDriftLine(0, 2)] },
      },
      {
        report: aLabReport({ fulfillmentOrderId: foGid(2), tracking: null, source: "service" }),
        shopify: { fulfillmentOrder: null, lines: [aDriftLine(1, 1)] },
      },
      {
        report: aLabReport({ fulfillmentOrderId: foGid(3), status: "in_production" }),
        shopify: { fulfillmentOrder: null, lines: [aDriftLine(2, 0)] },
      },
      {
        report: aLabReport({ fulfillmentOrderId: foGid(7), status: "accepted" }),
        shopify: { fulfillmentOrder: moved, lines: [aDriftLine(0, 2)] },
      },
      {
        report: aLabReport({ fulfillmentOrderId: foGid(8), status: "accepted" }),
        shopify: {
          fulfillmentOrder: aScannedFulfillmentOrder({
            id: foGid(8),
            status: "CLOSED",
            requestStatus: "ACCEPTED",
          }),
          lines: [aDriftLine(0, 2)],
        },
      },
      {
        report: aLabReport({ fulfillmentOrderId: foGid(9), status: "accepted" }),
        shopify: {
          fulfillmentOrder: aScannedFulfillmentOrder({
            id: foGid(9),
            status: "CANCELLED",
            requestStatus: "CANCELLATION_ACCEPTED",
          }),
          lines: [aDriftLine(0, 2)],
        },
      },
    ],
    LOCATIONS,
    NOW,
  );
  return [...stuck, ...drift];
}

function allWords(f: Finding): Words[] {
  const out: Words[] = [];
  const walk = (w: Words) => {
    out.push(w);
    for (const v of Object.values(w.params ?? {}))
      if (Array.isArray(v)) v.forEach((item) => typeof item === "object" && walk(item));
      else if (typeof v === "object") walk(v);
  };
  for (const w of [
    f.summary,
    ...f.evidence.lab,
    ...f.evidence.shopify,
    ...(f.advice ? [f.advice] : []),
  ])
    walk(w);
  return out;
}

describe("findings in the merchant's language", () => {
  it("finds every word of every kind of finding in both catalogues, with nothing left unfilled", async () => {
    const findings = everyFinding();
    expect(new Set(findings.map((f) => f.kind)).size).toBe(9);
    for (const locale of ["en", "de"] as const) {
      const t = await translatorOf(locale);
      for (const f of findings) {
        for (const w of allWords(f)) {
          const count = w.params?.count;
          expect(
            String(t(w.key as never, { count } as never)) !== w.key,
            `${locale} ${w.key}`,
          ).toBe(true);
        }
        for (const text of [f.summary, ...f.evidence.lab, ...f.evidence.shopify])
          expect(renderWords(t, text), `${locale} ${f.kind}`).not.toMatch(/\{\{|findings\./);
      }
    }
  });

  it("says a stuck request and a lab's shipment in English and in German", async () => {
    const [stuck] = detectStuck(
      [aScannedFulfillmentOrder({})],
      LOCATIONS,
      DEFAULT_MONITOR_SETTINGS,
      NOW,
    );
    const [drift] = detectDrift(
      [
        {
          report: aLabReport({}),
          shopify: { fulfillmentOrder: aScannedFulfillmentOrder({}), lines: [aDriftLine(0, 2)] },
        },
      ],
      LOCATIONS,
      NOW,
    );
    const en = await translatorOf("en");
    const de = await translatorOf("de");
    expect(renderWords(en, stuck!.summary)).toBe(
      `${LAB.name} has not accepted the request for #1001 in 2 days.`,
    );
    expect(renderWords(de, stuck!.summary)).toBe(
      `${LAB.name} hat die Anfrage für #1001 seit 2 Tagen nicht angenommen.`,
    );
    expect(renderWords(en, drift!.evidence.lab[0]!)).toBe(
      `Recorded from ${LAB.name}: shipped 2 × 10x15 Lustre with tracking DHL 00340434`,
    );
    expect(renderWords(de, drift!.evidence.lab[0]!)).toBe(
      `Erfasst von ${LAB.name}: 2 × 10x15 Lustre versendet mit Sendungsverfolgung DHL 00340434`,
    );
    expect(renderWords(de, drift!.evidence.shopify[0]!)).toBe(
      "10x15 Lustre: 0 ausgeführt, 2 nicht ausgeführt",
    );
  });

  it("reads what a row stores: words kept as JSON, and the English text older rows kept", async () => {
    const en = await translatorOf("en");
    const stored = JSON.stringify({
      key: "findings.summary.shipped_not_fulfilled",
      params: { lab: "Partner Lab", order: "#1002" },
    });
    expect(renderWords(en, readWords(stored))).toBe(
      "Partner Lab shipped #1002, but Shopify still shows it unfulfilled.",
    );
    expect(readWords("Partner Lab shipped #1002.")).toBe("Partner Lab shipped #1002.");
    expect(readWords("{not json")).toBe("{not json");
  });
});
