// The decision-log CSV on a real SQLite file: the range, RFC 4180 quoting, one row per Step,
// batches that stream in order, and only the asking shop's decisions.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "~/db/client.server";
import { createTestDatabase } from "../../tests/setup/db";
import {
  CSV_COLUMNS,
  csvField,
  decisionLogCsv,
  defaultExportRange,
  exportFilename,
  parseExportRange,
  remakeReasonsCsv,
} from "./decision-export.server";

const SHOP = "prints.myshopify.com";
let db: Db;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ db, cleanup } = await createTestDatabase());
});
afterEach(async () => {
  await cleanup();
});

/** The bytes as written, byte order mark included (Response.text() would drop it). */
async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  const bytes = await new Response(stream).arrayBuffer();
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
}

/** A minimal RFC 4180 reader, to check the writer by reading its output back. */
function parseCsv(csv: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i]!;
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && csv[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  return rows;
}

async function decision(
  at: string,
  data: Partial<{ shop: string; orderName: string; explanation: string[]; steps: number }> = {},
) {
  const created = await db.decision.create({
    data: {
      shop: data.shop ?? SHOP,
      orderId: `gid://shopify/Order/${Math.floor(Math.random() * 1e9)}`,
      orderName: data.orderName ?? "#1001",
      trigger: "webhook",
      status: "applied",
      explanation: JSON.stringify(data.explanation ?? ["No rule matched"]),
      plan: "{}",
      createdAt: new Date(at),
    },
  });
  for (let i = 0; i < (data.steps ?? 0); i++) {
    await db.step.create({
      data: {
        decisionId: created.id,
        key: `k${i}`,
        position: i,
        kind: i === 0 ? "fulfillmentOrderHold" : "fulfillmentCreate",
        input: JSON.stringify({
          input: {},
          summary: i === 0 ? 'Hold for review at "Studio"' : "Fulfil",
        }),
        status: i === 0 ? "succeeded" : "failed",
        error: i === 0 ? null : "fulfillmentCreate: Fulfillment order is on hold",
      },
    });
  }
  return created;
}

describe("the date range", () => {
  it("accepts whole days and names the file after them", () => {
    const parsed = parseExportRange({ from: "2026-03-01", to: "2026-03-31" });
    expect(parsed).toEqual({ ok: true, range: { from: "2026-03-01", to: "2026-03-31" } });
    expect(exportFilename({ from: "2026-03-01", to: "2026-03-31" })).toBe(
      "decisions-2026-03-01-to-2026-03-31.csv",
    );
    expect(exportFilename({ from: "2026-03-01", to: "2026-03-01" })).toBe(
      "decisions-2026-03-01.csv",
    );
  });

  it("says what is wrong with each date", () => {
    expect(parseExportRange({ from: "", to: "2026-02-30" })).toEqual({
      ok: false,
      errors: { from: { key: "export.errors.chooseFrom" }, to: { key: "export.errors.date" } },
    });
    expect(parseExportRange({ from: "2026-03-02", to: "2026-03-01" })).toEqual({
      ok: false,
      errors: { to: { key: "export.errors.endBeforeStart" } },
    });
    expect(parseExportRange({ from: "2024-01-01", to: "2026-01-01" })).toEqual({
      ok: false,
      errors: { to: { key: "export.errors.tooLong", params: { max: 366 } } },
    });
  });

  it("starts with the last 30 days", () => {
    expect(defaultExportRange(new Date("2026-03-31T15:00:00Z"))).toEqual({
      from: "2026-03-02",
      to: "2026-03-31",
    });
  });
});

describe("CSV fields", () => {
  it("quotes commas, quotes and line breaks, and defuses formulas", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('Rule "Lab", prints')).toBe('"Rule ""Lab"", prints"');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField(3)).toBe("3");
    expect(csvField(null)).toBe("");
  });
});

describe("the decision log as CSV", () => {
  it("writes one row per step, decisions without steps once, within the range and shop only", async () => {
    await decision("2026-02-28T23:59:59Z", { orderName: "#0999" });
    await decision("2026-03-01T00:00:00Z", {
      orderName: "#1001",
      explanation: ['Rule "Lab, prints" matched', "Held"],
      steps: 2,
    });
    await decision("2026-03-31T23:59:59Z", { orderName: "#1002" });
    await decision("2026-04-01T00:00:00Z", { orderName: "#1003" });
    await decision("2026-03-10T00:00:00Z", { orderName: "#2001", shop: "other.myshopify.com" });

    const csv = await text(decisionLogCsv(db, SHOP, { from: "2026-03-01", to: "2026-03-31" }));

    expect(csv.startsWith("\uFEFF")).toBe(true);
    const rows = parseCsv(csv.slice(1));
    expect(rows[0]).toEqual([...CSV_COLUMNS]); // ids: the route names them in the merchant's language
    expect(rows.slice(1)).toEqual([
      [
        "2026-03-01T00:00:00.000Z",
        "#1001",
        expect.stringMatching(/^gid:\/\/shopify\/Order\//),
        "webhook",
        "applied",
        'Rule "Lab, prints" matched; Held',
        "1",
        "fulfillmentOrderHold",
        'Hold for review at "Studio"',
        "succeeded",
        "",
      ],
      [
        "2026-03-01T00:00:00.000Z",
        "#1001",
        expect.any(String),
        "webhook",
        "applied",
        'Rule "Lab, prints" matched; Held',
        "2",
        "fulfillmentCreate",
        "Fulfil",
        "failed",
        "fulfillmentCreate: Fulfillment order is on hold",
      ],
      [
        "2026-03-31T23:59:59.000Z",
        "#1002",
        expect.any(String),
        "webhook",
        "applied",
        "No rule matched",
        "",
        "",
        "",
        "",
        "",
      ],
    ]);
  });

  it("streams batch after batch in time order without losing or repeating a decision", async () => {
    for (let i = 0; i < 23; i++) {
      await decision(`2026-03-05T10:00:${String(i).padStart(2, "0")}Z`, {
        orderName: `#${1100 + i}`,
      });
    }
    // Two decisions in the same millisecond: the id breaks the tie, so paging stays exact.
    await decision("2026-03-05T10:00:05Z", { orderName: "#1199" });
    const stream = decisionLogCsv(
      db,
      SHOP,
      { from: "2026-03-05", to: "2026-03-05" },
      { batchSize: 5 },
    );
    const reader = stream.getReader();
    let chunks = 0;
    let csv = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks++;
      csv += new TextDecoder("utf-8", { ignoreBOM: true }).decode(value);
    }
    expect(chunks).toBeGreaterThan(5);
    const names = parseCsv(csv.slice(1))
      .slice(1)
      .map((row) => row[1]);
    expect(names).toHaveLength(24);
    expect(new Set(names).size).toBe(24);
  });

  it("is a header alone when nothing was decided in the range", async () => {
    const csv = await text(decisionLogCsv(db, SHOP, { from: "2026-01-01", to: "2026-01-02" }));
    expect(parseCsv(csv.slice(1))).toEqual([[...CSV_COLUMNS]]);
  });
});

describe("remake reasons per month", () => {
  const remake = (reason: string, at: string, quantities: number[], status = "completed") =>
    db.remake.create({
      data: {
        shop: SHOP,
        orderId: "gid://shopify/Order/1",
        orderName: "#1001",
        reason,
        lines: JSON.stringify(quantities.map((quantity, i) => ({ lineItemId: `l${i}`, quantity }))),
        unitPrice: "0.00",
        currency: "EUR",
        status,
        createdAt: new Date(at),
      },
    });

  it("counts remakes and items per month and reason, only those that became orders, in the range", async () => {
    await remake("Wrong crop", "2026-10-03T10:00:00Z", [1, 2]);
    await remake("Wrong crop", "2026-10-28T10:00:00Z", [1]);
    await remake("Lab error", "2026-10-05T10:00:00Z", [4]);
    await remake("Lab error", "2026-11-01T00:00:00Z", [1]);
    await remake("Print fault", "2026-11-02T00:00:00Z", [1], "failed");
    await remake("Print fault", "2026-12-02T00:00:00Z", [1]);
    await db.remake.create({
      data: {
        shop: "other.myshopify.com",
        orderId: "gid://shopify/Order/2",
        orderName: "#2",
        reason: "Wrong crop",
        lines: "[]",
        unitPrice: "0.00",
        currency: "EUR",
        status: "completed",
        createdAt: new Date("2026-10-10T00:00:00Z"),
      },
    });
    const csv = await remakeReasonsCsv(db, SHOP, { from: "2026-10-01", to: "2026-11-30" });
    expect(csv).toBe(
      "\uFEFFmonth,reason,remakes,items\r\n" +
        "2026-10,Lab error,1,4\r\n" +
        "2026-10,Wrong crop,2,4\r\n" +
        "2026-11,Lab error,1,1\r\n",
    );
  });
});
