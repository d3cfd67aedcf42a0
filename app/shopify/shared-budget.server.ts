// Every shop's Admin API bucket kept in the database, so any number of worker and web processes
// pace one shop's calls together (PostgreSQL; docs/decisions/017). One statement per call takes
// the call's expected cost when the bucket holds it, and carries the settlements of the process's
// calls answered since (what they really cost, what Shopify said the bucket holds), of any shop;
// a settlement no call carries within SETTLE_WITHIN_MS is written alone. Calls of other shops made
// while a statement is on its way go together in the next one (docs/decisions/059). The row is the only
// shared state, so a process that dies holds nothing (its reservations restore).
import { statementLines } from "../jobs/statement-line";
import { RequestedCosts, type BudgetLedger, type ThrottleStatus } from "./budget";

/** What the ledger needs of the database: Prisma's raw query (PostgreSQL). */
export interface RawSql {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

// Before the first answer for a shop nothing is known; Shopify's smallest bucket is Standard's.
const STANDARD = { maximum: 2000, restoreRate: 100 };

/**
 * How long an answered call's settlement waits in the process for the process's next call to carry
 * it before it is written on its own: until then other processes see the call's reservation
 * whole (never more points than there are) and the process's own calls see the settlement.
 */
export const SETTLE_WITHIN_MS = 100;

/** What the process's answered calls of one shop have to say that the row does not know yet. */
interface Unwritten {
  /** Points reserved beyond what the calls cost, to give back. */
  refund: number;
  /** Shopify's latest reading of the bucket, and when it was taken. */
  status: ThrottleStatus | null;
  statusAt: number;
  /** The latest time any of them was answered. */
  at: number;
}

/** The bucket as of $2 (now): what it held, plus what it restored since, capped at its size. */
const RESTORED = `LEAST(b."maximum", b."available" + b."restoreRate" * GREATEST(0, $2::float8 - b."atMs") / 1000)`;

/**
 * One statement for a call's take and the settlements it carries, one row of $1 (JSON) per shop:
 * each shop's bucket settled (refunds given back, never more than Shopify's reading restored
 * since it was taken, its size and rate adopted), then `cost` taken if the settled bucket holds it
 * now (0 for a shop that is only settled). The rows are locked in shop order, so two processes'
 * statements never wait for each other in a circle. Answers each shop's settled level: whether the
 * take fitted, and if not how long until it does.
 */
const SETTLE_AND_TAKE = `
  WITH v AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS v(
      "shop" text, "refund" float8, "cap" float8, "capAt" float8, "maximum" float8,
      "restoreRate" float8, "cost" float8)
  ), cur AS (
    SELECT b."shop", v."cost",
           LEAST(COALESCE(v."maximum", b."maximum"),
                 ${RESTORED} + v."refund",
                 COALESCE(v."cap" + COALESCE(v."restoreRate", b."restoreRate")
                                    * GREATEST(0, $2::float8 - v."capAt") / 1000,
                          'Infinity'::float8)) AS "level",
           COALESCE(v."maximum", b."maximum") AS "maximum",
           COALESCE(v."restoreRate", b."restoreRate") AS "restoreRate"
      FROM "ShopBucket" AS b JOIN v ON v."shop" = b."shop"
     ORDER BY b."shop"
       FOR UPDATE OF b
  ), written AS (
    UPDATE "ShopBucket" AS b
       SET "available" = cur."level" - CASE WHEN cur."level" >= LEAST(cur."cost", cur."maximum")
                                            THEN cur."cost" ELSE 0 END,
           "maximum" = cur."maximum", "restoreRate" = cur."restoreRate",
           "atMs" = GREATEST(b."atMs", $2::float8)
      FROM cur WHERE b."shop" = cur."shop"
  )
  SELECT "shop", "level", "maximum", "restoreRate" FROM cur`;

/** The most takes one statement carries (each of another shop). */
const TAKES_AT_ONCE = 50;

/** A call's take: `cost` points of `shop`'s bucket, as of `now`. */
interface Take {
  shop: string;
  cost: number;
  now: number;
}

/** A shop's bucket once settled, before its take. */
interface Settled {
  level: number;
  maximum: number;
  restoreRate: number;
}

/** The shared ledger, and a way to write its settlements at once rather than with the next take. */
export type SharedBudgets = BudgetLedger & { flush(): Promise<void> };

export function createSharedBudgets(db: RawSql): SharedBudgets {
  const costs = new RequestedCosts();
  // Shops whose row this process has seen exist (it is made once, by whoever calls first).
  const known = new Set<string>();
  // Answered calls' settlements not written yet, by shop, and the timer that writes them alone.
  const unwritten = new Map<string, Unwritten>();
  let writeAlone: ReturnType<typeof setTimeout> | undefined;

  /**
   * Writes every unwritten settlement, and the takes given (at most one a shop), in one statement
   * (SETTLE_AND_TAKE).
   */
  async function write(takes: Take[]) {
    const settling = new Map(unwritten);
    unwritten.clear();
    clearTimeout(writeAlone);
    writeAlone = undefined;
    const cost = new Map(takes.map((t) => [t.shop, t.cost]));
    const shops = new Set([...settling.keys(), ...cost.keys()]);
    const rows = [...shops].map((shop) => {
      const s = settling.get(shop);
      return {
        shop,
        refund: s?.refund ?? 0,
        cap: s?.status?.currentlyAvailable ?? null,
        capAt: s?.statusAt ?? null,
        maximum: s?.status?.maximumAvailable ?? null,
        restoreRate: s?.status?.restoreRate ?? null,
        cost: cost.get(shop) ?? 0,
      };
    });
    // The latest clock of the calls it carries (they were made within one statement's time of
    // each other); a timer's write has none: the latest answer's time is as late as it knows.
    const at = Math.max(0, ...takes.map((t) => t.now), ...[...settling.values()].map((s) => s.at));
    try {
      const answered = await db.$queryRawUnsafe<
        { shop: string; level: number; maximum: number; restoreRate: number }[]
      >(SETTLE_AND_TAKE, JSON.stringify(rows), at);
      return new Map<string, Settled>(
        answered.map((r) => [
          r.shop,
          {
            level: Number(r.level),
            maximum: Number(r.maximum),
            restoreRate: Number(r.restoreRate),
          },
        ]),
      );
    } catch (error) {
      // Not written: kept for the next write, merged with what was answered meanwhile.
      for (const [shop, s] of settling) {
        const later = unwritten.get(shop);
        unwritten.set(
          shop,
          later
            ? {
                refund: s.refund + later.refund,
                status: later.status ?? s.status,
                statusAt: later.status ? later.statusAt : s.statusAt,
                at: Math.max(s.at, later.at),
              }
            : s,
        );
      }
      throw error;
    }
  }

  /** Writes the settlements still waiting for a take (a snapshot, a test, a process stopping). */
  async function flush(): Promise<void> {
    if (unwritten.size > 0) await write([]);
  }

  // Takes made while the last one is on its way to the database wait and go together, in one
  // statement with the settlements: a worker's jobs of different shops start their calls at once
  // under a backlog. Two takes of one shop never share a statement: each is answered by the bucket
  // the other left, as when they went one after the other.
  // A shop whose row is gone (its data erased at uninstall) answers nothing: its call goes.
  const takeInLine = statementLines<Take, Settled | undefined>(
    async (_ledger, takes) => {
      const answered = await write(takes);
      return takes.map((t) => answered.get(t.shop));
    },
    { atOnce: TAKES_AT_ONCE, distinct: (t) => t.shop },
  );

  return {
    observeCost(operation, requestedQueryCost, shape) {
      costs.observe(operation, requestedQueryCost, shape);
    },
    expectedCost(operation, shape) {
      return costs.expected(operation, shape);
    },

    async take(shop, cost, now) {
      if (!known.has(shop)) {
        await db.$queryRawUnsafe(
          `INSERT INTO "ShopBucket" ("shop", "available", "maximum", "restoreRate", "atMs")
                VALUES ($1, $2::float8, $2::float8, $3::float8, $4::float8)
           ON CONFLICT ("shop") DO NOTHING RETURNING 1`,
          shop,
          STANDARD.maximum,
          STANDARD.restoreRate,
          now,
        );
        known.add(shop);
      }
      // Taken only if the points are there now (under the row's lock, so two processes never
      // both take the last of them); otherwise nothing is taken and the caller asks again after
      // the time the bucket needs, when refunds of calls answered meanwhile may have come back.
      const row = await takeInLine("takes", { shop, cost, now });
      if (!row || row.level >= Math.min(cost, row.maximum)) return 0;
      const missing = Math.min(cost, row.maximum) - row.level;
      return Math.max(1, Math.ceil((missing / row.restoreRate) * 1000));
    },

    async snapshot(shop, now) {
      // Any process's calls show: the web process serving Home spends nothing itself.
      await flush();
      const [row] = await db.$queryRawUnsafe<
        { level: number; maximum: number; restoreRate: number }[]
      >(
        `SELECT ${RESTORED} AS "level", b."maximum", b."restoreRate"
           FROM "ShopBucket" AS b WHERE b."shop" = $1`,
        shop,
        now,
      );
      if (!row) {
        return {
          maximumAvailable: STANDARD.maximum,
          currentlyAvailable: STANDARD.maximum,
          restoreRate: STANDARD.restoreRate,
          known: false,
        };
      }
      // The row is made by the shop's first call and settled with Shopify's answer to it.
      return {
        maximumAvailable: Number(row.maximum),
        currentlyAvailable: Math.floor(Math.max(0, Number(row.level))),
        restoreRate: Number(row.restoreRate),
        known: true,
      };
    },

    settle(shop, answer, now) {
      const refund = Math.max(0, answer.reserved - answer.actual);
      if (refund === 0 && !answer.status) return;
      const before = unwritten.get(shop);
      const newer = answer.status && (!before?.status || now >= before.statusAt);
      unwritten.set(shop, {
        refund: (before?.refund ?? 0) + refund,
        status: newer ? answer.status : (before?.status ?? null),
        statusAt: newer ? now : (before?.statusAt ?? now),
        at: Math.max(before?.at ?? now, now),
      });
      // Written with the process's next take, of any shop, or on its own a moment later.
      if (!writeAlone) {
        writeAlone = setTimeout(() => {
          writeAlone = undefined;
          void flush().catch(() => {
            // Kept for the next write (write puts them back); the bucket only looks emptier.
          });
        }, SETTLE_WITHIN_MS);
        // A process with nothing else to do ends without them: its reservations restore.
        writeAlone.unref?.();
      }
    },

    flush,
  };
}
