// The decision log as CSV for a date range: one row per Step (one per decision without Steps),
// streamed from the database in batches so a busy shop's year never sits in memory at once.
import { z } from "zod";
import type { Db } from "../db/client.server";
import { asStoredWords, readWordsList, type StoredWords } from "../i18n/words";
import { words, type Words } from "../routing/words";

export interface ExportRange {
  /** First day, YYYY-MM-DD, inclusive (UTC). */
  from: string;
  /** Last day, YYYY-MM-DD, inclusive (UTC). */
  to: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_DAYS = 366;

function isRealDay(text: string): boolean {
  if (!DAY.test(text)) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

// A field's mistake as the catalogue key of its words (export.errors); the range's bound is the
// only value one of them says.
const day = (missing: string) =>
  z
    .string({ required_error: missing })
    .trim()
    .min(1, missing)
    .refine(isRealDay, "export.errors.date");

const rangeSchema = z
  .object({
    from: day("export.errors.chooseFrom"),
    to: day("export.errors.chooseTo"),
  })
  .superRefine((range, ctx) => {
    const from = Date.parse(`${range.from}T00:00:00Z`);
    const to = Date.parse(`${range.to}T00:00:00Z`);
    if (to < from)
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["to"],
        message: "export.errors.endBeforeStart",
      });
    else if ((to - from) / 86_400_000 >= MAX_DAYS) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["to"],
        message: "export.errors.tooLong",
      });
    }
  });

export function parseExportRange(input: {
  from?: string | null;
  to?: string | null;
}): { ok: true; range: ExportRange } | { ok: false; errors: Record<string, Words> } {
  const parsed = rangeSchema.safeParse({
    from: input.from ?? undefined,
    to: input.to ?? undefined,
  });
  if (parsed.success) return { ok: true, range: parsed.data };
  const errors: Record<string, Words> = {};
  for (const issue of parsed.error.issues) {
    // Our keys; anything zod says itself (a value that is not text) is "enter a date".
    const key = issue.message.startsWith("export.errors.") ? issue.message : "export.errors.date";
    errors[issue.path.join(".")] ??= words(
      key,
      key === "export.errors.tooLong" ? { max: MAX_DAYS } : undefined,
    );
  }
  return { ok: false, errors };
}

/** The last 30 days up to today, the range the screen starts with. */
export function defaultExportRange(today: Date): ExportRange {
  const to = today.toISOString().slice(0, 10);
  const from = new Date(today.getTime() - 29 * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}

export function exportFilename(range: ExportRange): string {
  return range.from === range.to
    ? `decisions-${range.from}.csv`
    : `decisions-${range.from}-to-${range.to}.csv`;
}

function bounds(range: ExportRange): { gte: Date; lt: Date } {
  const gte = new Date(`${range.from}T00:00:00Z`);
  const lt = new Date(Date.parse(`${range.to}T00:00:00Z`) + 86_400_000);
  return { gte, lt };
}

export async function countDecisions(db: Db, shop: string, range: ExportRange): Promise<number> {
  return db.decision.count({ where: { shop, createdAt: bounds(range) } });
}

/** The CSV's columns as ids; the header row says them in the merchant's language (`export.column.*`). */
export const CSV_COLUMNS = [
  "time",
  "order",
  "orderId",
  "trigger",
  "decisionStatus",
  "explanation",
  "step",
  "stepKind",
  "stepSummary",
  "stepStatus",
  "stepError",
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled.
 * Text a spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe: rule
 * names and notes are the merchant's free text and may start with anything.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(fields: readonly (string | number | null | undefined)[]): string {
  return `${fields.map(csvField).join(",")}\r\n`;
}

/** The decision trace in one cell: each entry said by `say` (Words in the reader's language). */
function explanationText(json: string, say: (words: StoredWords) => string): string {
  return readWordsList(json).map(say).join("; ");
}

/** A Step's stored summary (Words, or the text older rows kept) said by `say`. */
function stepSummary(json: string, say: (words: StoredWords) => string): string {
  try {
    const summary = asStoredWords((JSON.parse(json) as { summary?: unknown }).summary);
    return summary === null ? "" : say(summary);
  } catch {
    return "";
  }
}

/**
 * The CSV as a byte stream: a UTF-8 byte order mark (so spreadsheet programs read order names
 * and notes in any script correctly), the header, then decisions oldest first, a batch at a
 * time as the reader asks for more.
 */
export function decisionLogCsv(
  db: Db,
  shop: string,
  range: ExportRange,
  options: {
    batchSize?: number;
    columnName?: (column: CsvColumn) => string;
    /** Says the trace's Words in the downloader's language; without it, their keys. */
    say?: (words: StoredWords) => string;
  } = {},
): ReadableStream<Uint8Array> {
  const header = CSV_COLUMNS.map(options.columnName ?? ((column) => column));
  const say = options.say ?? ((w: StoredWords) => (typeof w === "string" ? w : w.key));
  const batchSize = options.batchSize ?? 200;
  const encoder = new TextEncoder();
  const where = { shop, createdAt: bounds(range) };
  let cursor: string | null = null;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`\uFEFF${csvRow(header)}`));
        return;
      }
      const batch = await db.decision.findMany({
        where,
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        take: batchSize,
        ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
        include: { steps: { orderBy: { position: "asc" } } },
      });
      if (batch.length === 0) {
        controller.close();
        return;
      }
      let chunk = "";
      for (const decision of batch) {
        const head = [
          decision.createdAt.toISOString(),
          decision.orderName ?? "",
          decision.orderId,
          decision.trigger,
          decision.status,
          explanationText(decision.explanation, say),
        ];
        if (decision.steps.length === 0) chunk += csvRow([...head, "", "", "", "", ""]);
        for (const step of decision.steps) {
          chunk += csvRow([
            ...head,
            step.position + 1,
            step.kind,
            stepSummary(step.input, say),
            step.status,
            step.error ?? "",
          ]);
        }
      }
      cursor = batch[batch.length - 1]!.id;
      controller.enqueue(encoder.encode(chunk));
      if (batch.length < batchSize) controller.close();
    },
  });
}

/** The remake reasons export's columns; the header says them in the merchant's language. */
export const REMAKE_CSV_COLUMNS = ["month", "reason", "remakes", "items"] as const;
export type RemakeCsvColumn = (typeof REMAKE_CSV_COLUMNS)[number];

export function remakeReasonsFilename(range: ExportRange): string {
  return `remake-reasons-${range.from}-to-${range.to}.csv`;
}

/**
 * Remakes in the range counted per month (UTC, YYYY-MM) and reason: how many remakes and how many
 * items they made again. Only remakes that became orders count; a failed attempt made nothing.
 */
export async function remakeReasonsCsv(
  db: Db,
  shop: string,
  range: ExportRange,
  options: { columnName?: (column: RemakeCsvColumn) => string } = {},
): Promise<string> {
  const rows = await db.remake.findMany({
    where: { shop, status: "completed", createdAt: bounds(range) },
    select: { reason: true, lines: true, createdAt: true },
  });
  const counts = new Map<
    string,
    { month: string; reason: string; remakes: number; items: number }
  >();
  for (const row of rows) {
    const month = row.createdAt.toISOString().slice(0, 7);
    const key = JSON.stringify([month, row.reason]);
    const entry = counts.get(key) ?? { month, reason: row.reason, remakes: 0, items: 0 };
    entry.remakes += 1;
    try {
      const lines = JSON.parse(row.lines) as { quantity?: unknown }[];
      for (const line of lines) if (typeof line.quantity === "number") entry.items += line.quantity;
    } catch {
      // A row whose lines cannot be read still counts as a remake.
    }
    counts.set(key, entry);
  }
  const sorted = [...counts.values()].sort(
    (a, b) => a.month.localeCompare(b.month) || a.reason.localeCompare(b.reason),
  );
  const header = REMAKE_CSV_COLUMNS.map(options.columnName ?? ((column) => column));
  return (
    `\uFEFF${csvRow(header)}` +
    sorted.map((e) => csvRow([e.month, e.reason, e.remakes, e.items])).join("")
  );
}
