// What the home page tells a merchant at a glance: how today's paid orders were routed, what needs
// them now, whether the job queue keeps up, how much Admin API budget is in use, and decisions over time.
import type { Db } from "../db/client.server";
import type { JobQueue } from "../jobs/queue";
import { AUTHORIZATION_WARNING_HOURS } from "../routing";

/** Orders placed today, by how the app routed them; one order can count in several rows (split and sent to a lab). */
export interface TodayRouting {
  paidOrders: number;
  automatic: number;
  held: number;
  inReview: number;
  split: number;
  sentToLab: number;
  waitingForYou: number;
  needsAttention: number;
}

/** Fulfillment orders waiting on the merchant right now, whenever they were placed. */
export interface WaitingNow {
  inReview: number;
  needsAttention: number;
  held: number;
  waitingForYou: number;
}

export interface QueueHealth {
  queued: number;
  /** Of the queued jobs, those due now (not a timer set for later). */
  due: number;
  running: number;
  failed: number;
  /** Seconds the longest-waiting due job has waited; 0 when none waits. */
  oldestWaitSeconds: number;
}

export interface ApiBudget {
  maximum: number;
  available: number;
  restoreRate: number;
  /** 0–100: the share of the bucket spent and not yet restored. */
  inUsePercent: number;
  /** False until the first answer from Shopify told us the real bucket. */
  known: boolean;
}

export interface DecisionDay {
  /** YYYY-MM-DD (UTC). */
  date: string;
  automatic: number;
  byYou: number;
  needsAttention: number;
}

export interface BulkJobSummary {
  id: string;
  action: string;
  status: string;
  total: number;
  succeeded: number;
  failed: number;
  createdAt: string;
}

/** One order whose payment authorization lapses soon. */
export interface LapsingOrder {
  orderId: string;
  /** The numeric tail of the order gid: the order screen's URL. */
  orderNumber: string;
  orderName: string;
  /** ISO 8601. */
  lapsesAt: string;
  /** Counted from the gateway's period: Shopify gave no expiry. */
  estimated: boolean;
}

/** Orders whose authorization lapses within the shop's warning window (Settings). */
export interface LapsingAuthorizations {
  warnHours: number;
  count: number;
  /** The soonest first, at most LAPSING_SHOWN. */
  orders: LapsingOrder[];
}

export const LAPSING_SHOWN = 5;

export interface HomeSummary {
  shop: string;
  defaultMode: "manual" | "automatic";
  enabledRules: number;
  decisionsToday: number;
  /** Fulfillment orders the app could not decide or do: they need the merchant. */
  needsAttention: number;
  today: TodayRouting;
  now: WaitingNow;
  jobs: QueueHealth;
  budget: ApiBudget;
  decisionsByDay: DecisionDay[];
  recentBulkJobs: BulkJobSummary[];
  lapsing: LapsingAuthorizations;
  /**
   * Customer data requests Shopify sent within the time a merchant has to answer one (30 days):
   * each has a report to hand over, and nothing else in the app tells the merchant one came.
   */
  dataRequests: number;
}

/** How long after a customer's data request the merchant has to provide the data (Shopify's terms). */
export const DATA_REQUEST_DAYS = 30;

const DAY = 24 * 3600_000;
export const CHART_DAYS = 14;

const AUTOMATIC_TRIGGERS = ["webhook", "reconciliation", "timer"];
/** Outcomes where the rules sent the fulfillment order on its way without the merchant. */
const SENT_ON = ["fulfilling", "requesting", "in_progress", "done", "releasing", "routing"];

function startOfUtcDay(now: Date): Date {
  const d = new Date(now);
  d.setUTCHours(0, 0, 0, 0);
  return d;
}

export function budgetInUse(snapshot: {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
  known: boolean;
}): ApiBudget {
  const maximum = Math.max(1, snapshot.maximumAvailable);
  const available = Math.max(0, Math.min(maximum, snapshot.currentlyAvailable));
  return {
    maximum,
    available,
    restoreRate: snapshot.restoreRate,
    inUsePercent: Math.round(((maximum - available) / maximum) * 100),
    known: snapshot.known,
  };
}

async function todayRouting(db: Db, shop: string, startOfDay: Date): Promise<TodayRouting> {
  const [records, splits, approvals] = await Promise.all([
    db.fulfillmentOrderRecord.findMany({
      where: { shop, orderCreatedAt: { gte: startOfDay } },
      select: { orderId: true, outcome: true, provider: true },
    }),
    db.step.findMany({
      where: {
        kind: "fulfillmentOrderSplit",
        status: "succeeded",
        decision: { shop, createdAt: { gte: startOfDay } },
      },
      select: { decision: { select: { orderId: true } } },
    }),
    db.approval.findMany({
      where: { shop, createdAt: { gte: startOfDay } },
      select: { orderId: true },
    }),
  ]);
  const byOrder = new Map<string, { outcome: string; provider: string | null }[]>();
  for (const r of records) byOrder.set(r.orderId, [...(byOrder.get(r.orderId) ?? []), r]);
  const approved = new Set(approvals.map((a) => a.orderId));
  const split = new Set(splits.map((s) => s.decision.orderId).filter((id) => byOrder.has(id)));
  const count = (
    test: (fos: { outcome: string; provider: string | null }[], orderId: string) => boolean,
  ) => [...byOrder.entries()].filter(([orderId, fos]) => test(fos, orderId)).length;
  return {
    paidOrders: byOrder.size,
    automatic: count(
      (fos, orderId) => !approved.has(orderId) && fos.every((f) => SENT_ON.includes(f.outcome)),
    ),
    held: count((fos) => fos.some((f) => f.outcome === "held")),
    inReview: count((fos) => fos.some((f) => f.outcome === "in_review")),
    split: split.size,
    sentToLab: count((fos) =>
      fos.some(
        (f) => f.provider !== null && ["requesting", "in_progress", "done"].includes(f.outcome),
      ),
    ),
    waitingForYou: count((fos) => fos.some((f) => f.outcome === "waiting_for_you")),
    needsAttention: count((fos) => fos.some((f) => f.outcome === "needs_attention")),
  };
}

async function decisionsByDay(db: Db, shop: string, startOfDay: Date): Promise<DecisionDay[]> {
  // One GROUP BY per day on the [shop, createdAt] index: no row is read into memory.
  const days = Array.from(
    { length: CHART_DAYS },
    (_, i) => new Date(startOfDay.getTime() - (CHART_DAYS - 1 - i) * DAY),
  );
  return Promise.all(
    days.map(async (day) => {
      const groups = await db.decision.groupBy({
        by: ["trigger", "status"],
        where: {
          shop,
          createdAt: { gte: day, lt: new Date(day.getTime() + DAY) },
          status: { not: "dry_run" },
        },
        _count: { _all: true },
      });
      const sum = (test: (g: (typeof groups)[number]) => boolean) =>
        groups.filter(test).reduce((n, g) => n + g._count._all, 0);
      return {
        date: day.toISOString().slice(0, 10),
        automatic: sum(
          (g) => AUTOMATIC_TRIGGERS.includes(g.trigger) && g.status !== "needs_attention",
        ),
        byYou: sum(
          (g) => !AUTOMATIC_TRIGGERS.includes(g.trigger) && g.status !== "needs_attention",
        ),
        needsAttention: sum((g) => g.status === "needs_attention"),
      };
    }),
  );
}

/**
 * Orders not yet captured whose authorization lapses within `warnHours`: one row per order (its
 * fulfillment orders share the deadline), read from the [shop, authorizationLapsesAt] index.
 */
export async function lapsingAuthorizations(
  db: Db,
  shop: string,
  now: Date,
  warnHours: number,
): Promise<LapsingAuthorizations> {
  const rows = await db.fulfillmentOrderRecord.findMany({
    where: {
      shop,
      authorizationLapsesAt: { gt: now, lte: new Date(now.getTime() + warnHours * 3600_000) },
    },
    select: {
      orderId: true,
      orderName: true,
      authorizationLapsesAt: true,
      authorizationEstimated: true,
    },
    orderBy: [{ authorizationLapsesAt: "asc" }, { orderId: "asc" }],
    distinct: ["orderId"],
  });
  return {
    warnHours,
    count: rows.length,
    orders: rows.slice(0, LAPSING_SHOWN).map((r) => ({
      orderId: r.orderId,
      orderNumber: r.orderId.slice(r.orderId.lastIndexOf("/") + 1),
      orderName: r.orderName,
      lapsesAt: r.authorizationLapsesAt!.toISOString(),
      estimated: r.authorizationEstimated,
    })),
  };
}

export async function loadHomeSummary(
  db: Db,
  shop: string,
  now: Date,
  budget: {
    maximumAvailable: number;
    currentlyAvailable: number;
    restoreRate: number;
    known: boolean;
  },
  /** The queue the jobs are in: the app's job table on SQLite, pg-boss on PostgreSQL. */
  queue: Pick<JobQueue, "health">,
): Promise<HomeSummary> {
  const startOfDay = startOfUtcDay(now);
  const [
    settings,
    enabledRules,
    decisionsToday,
    outcomes,
    jobs,
    today,
    byDay,
    bulkJobs,
    dataRequests,
  ] = await Promise.all([
    db.shop.findUnique({ where: { shop } }),
    db.rule.count({ where: { shop, enabled: true } }),
    db.decision.count({
      where: { shop, createdAt: { gte: startOfDay }, status: { not: "dry_run" } },
    }),
    db.fulfillmentOrderRecord.groupBy({
      by: ["outcome"],
      where: {
        shop,
        outcome: { in: ["in_review", "needs_attention", "held", "waiting_for_you"] },
      },
      _count: { _all: true },
    }),
    queue.health(shop, now),
    todayRouting(db, shop, startOfDay),
    decisionsByDay(db, shop, startOfDay),
    db.bulkJob.findMany({ where: { shop }, orderBy: { createdAt: "desc" }, take: 5 }),
    db.dataRequest.count({
      where: { shop, createdAt: { gte: new Date(now.getTime() - DATA_REQUEST_DAYS * DAY) } },
    }),
  ]);
  const outcome = (o: string) => outcomes.find((g) => g.outcome === o)?._count._all ?? 0;
  const lapsing = await lapsingAuthorizations(
    db,
    shop,
    now,
    settings?.authorizationWarnHours ?? AUTHORIZATION_WARNING_HOURS,
  );
  return {
    shop,
    defaultMode: settings?.defaultMode === "automatic" ? "automatic" : "manual",
    enabledRules,
    decisionsToday,
    needsAttention: outcome("needs_attention"),
    today,
    now: {
      inReview: outcome("in_review"),
      needsAttention: outcome("needs_attention"),
      held: outcome("held"),
      waitingForYou: outcome("waiting_for_you"),
    },
    jobs,
    dataRequests,
    budget: budgetInUse(budget),
    decisionsByDay: byDay,
    recentBulkJobs: bulkJobs.map((j) => ({
      id: j.id,
      action: j.action,
      status: j.status,
      total: j.total,
      succeeded: j.succeeded,
      failed: j.failed,
      createdAt: j.createdAt.toISOString(),
    })),
    lapsing,
  };
}
