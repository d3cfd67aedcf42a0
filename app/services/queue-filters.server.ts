// The review queue's filters: read from the URL (an unknown value is a field error), and turned
// into the read model's where clause that the queue page, its count and "select all matching" share.
import { z } from "zod";
import type { Prisma } from "@prisma/client";
import { FULFILLMENT_HOLD_REASONS, RISK_LEVELS, fieldErrorMessage as say } from "../routing";
import {
  AGE_BUCKETS,
  CANCELLED_OUTCOMES,
  COMPLETED_OUTCOMES,
  DEFAULT_SORT,
  OUTCOMES,
  SORT_VALUES,
  type AgeBucket,
  type Outcome,
  type SortValue,
} from "../routing/vocabulary";
import { fieldErrors, type FieldErrors, type Parsed } from "./field-errors";

const HOUR = 3600_000;
const DAY = 24 * HOUR;

const multi = <T extends readonly [string, ...string[]]>(values: T) =>
  z.array(z.enum(values)).default([]);
const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, say("maxLength", { max }))
    .optional()
    .transform((v) => (v ? v : undefined));

const filtersSchema = z.object({
  q: text(100),
  status: multi(OUTCOMES),
  reason: multi(FULFILLMENT_HOLD_REASONS),
  rule: z.array(z.string().trim().min(1).max(200)).max(50).default([]),
  location: z.array(z.string().trim().min(1).max(200)).max(50).default([]),
  risk: multi(RISK_LEVELS),
  age: z.enum(AGE_BUCKETS).optional(),
  tag: text(100),
  completed: z.literal("1").optional(),
  cancelled: z.literal("1").optional(),
  /** Hours: orders whose payment authorization lapses within them (Home's warning links here). */
  lapsesWithin: z.coerce
    .number()
    .int(say("wholeHours"))
    .min(1, say("atLeast", { min: 1 }))
    .max(168, say("atMost", { max: 168 }))
    .optional(),
  sort: z.enum(SORT_VALUES as [SortValue, ...SortValue[]]).default(DEFAULT_SORT),
});

export type QueueFilters = z.infer<typeof filtersSchema>;

const MULTI_PARAMS = ["status", "reason", "rule", "location", "risk"] as const;

/** Reads the queue's filters from URL search params; an unknown value is a field error, not a crash. */
export function parseQueueFilters(params: URLSearchParams): Parsed<QueueFilters> {
  const raw: Record<string, unknown> = {};
  for (const key of [
    "q",
    "age",
    "tag",
    "completed",
    "cancelled",
    "lapsesWithin",
    "sort",
  ] as const) {
    const value = params.get(key);
    if (value !== null && value !== "") raw[key] = value;
  }
  for (const key of MULTI_PARAMS) raw[key] = params.getAll(key).filter(Boolean);
  const result = filtersSchema.safeParse(raw);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, errors: fieldErrors(result.error) };
}

/**
 * The queue's filters from a URL that may be outdated or hand-edited: the params that do not parse
 * are left out (and reported), the rest still apply. A page view is not a form submission, so the
 * screen shows what it could and says what it ignored, rather than answering an error.
 */
export function readQueueFilters(params: URLSearchParams): {
  filters: QueueFilters;
  ignored: FieldErrors | null;
} {
  const first = parseQueueFilters(params);
  if (first.ok) return { filters: first.value, ignored: null };
  const kept = new URLSearchParams(params);
  for (const field of Object.keys(first.errors)) kept.delete(field);
  const second = parseQueueFilters(kept);
  return { filters: second.ok ? second.value : defaultQueueFilters(), ignored: first.errors };
}

export function defaultQueueFilters(): QueueFilters {
  return filtersSchema.parse({});
}

/** The outcomes the queue shows: the merchant's choice, else everything not finished. */
export function visibleOutcomes(
  filters: Pick<QueueFilters, "status" | "completed" | "cancelled">,
): Outcome[] {
  if (filters.status.length > 0) return filters.status;
  return OUTCOMES.filter(
    (o) =>
      (filters.completed || !COMPLETED_OUTCOMES.includes(o)) &&
      (filters.cancelled || !CANCELLED_OUTCOMES.includes(o)),
  );
}

/** One whole tag inside the space-separated `tags` column, not part of a longer tag. */
function hasTag(tag: string): Prisma.FulfillmentOrderRecordWhereInput {
  return {
    OR: [
      { tags: tag },
      { tags: { startsWith: `${tag} ` } },
      { tags: { endsWith: ` ${tag}` } },
      { tags: { contains: ` ${tag} ` } },
    ],
  };
}

function ageWhere(age: AgeBucket, now: Date): Prisma.DateTimeFilter {
  const ago = (ms: number) => new Date(now.getTime() - ms);
  switch (age) {
    case "under_1d":
      return { gte: ago(DAY) };
    case "1d_3d":
      return { lt: ago(DAY), gte: ago(3 * DAY) };
    case "over_3d":
      return { lt: ago(3 * DAY) };
    case "over_7d":
      return { lt: ago(7 * DAY) };
  }
}

export function queueWhere(
  shop: string,
  filters: QueueFilters,
  now: Date,
): Prisma.FulfillmentOrderRecordWhereInput {
  const and: Prisma.FulfillmentOrderRecordWhereInput[] = [];
  if (filters.q) {
    // A merchant types "1001" as often as "#1001".
    const q = filters.q;
    and.push({
      OR: [
        { orderName: { contains: q } },
        { customerName: { contains: q } },
        { skus: { contains: q } },
      ],
    });
  }
  // Shopify's reason code, never the text the reason is said in.
  if (filters.reason.length > 0) and.push({ holdReason: { in: filters.reason } });
  if (filters.rule.length > 0) and.push({ ruleName: { in: filters.rule } });
  if (filters.location.length > 0) {
    and.push({
      OR: [{ locationName: { in: filters.location } }, { provider: { in: filters.location } }],
    });
  }
  if (filters.risk.length > 0) and.push({ riskLevel: { in: filters.risk } });
  if (filters.tag) and.push(hasTag(filters.tag));
  if (filters.lapsesWithin) {
    and.push({
      authorizationLapsesAt: {
        gt: now,
        lte: new Date(now.getTime() + filters.lapsesWithin * HOUR),
      },
    });
  }
  return {
    shop,
    // A payment to capture matters after the work is done too: fulfilled orders are included.
    outcome: {
      in: visibleOutcomes(filters.lapsesWithin ? { ...filters, completed: "1" } : filters),
    },
    ...(filters.age ? { orderCreatedAt: ageWhere(filters.age, now) } : {}),
    ...(and.length > 0 ? { AND: and } : {}),
  };
}
