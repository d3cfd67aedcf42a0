// Every shop's Admin API bucket kept in the database, so any number of worker and web processes
// pace one shop's calls together (PostgreSQL; docs/decisions/017). One statement per call takes
// the call's expected cost when the bucket holds it, one settles it with Shopify's answer; the
// row is the only state, so a process that dies holds nothing (its reservations restore).
import { RequestedCosts, type BudgetLedger, type ThrottleStatus } from "./budget";

/** What the ledger needs of the database: Prisma's raw query (PostgreSQL). */
export interface RawSql {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

// Before the first answer for a shop nothing is known; Shopify's smallest bucket is Standard's.
const STANDARD = { maximum: 2000, restoreRate: 100 };

/** The bucket as of $now: what it held, plus what it restored since, capped at its size. */
const RESTORED = `LEAST(b."maximum", b."available" + b."restoreRate" * GREATEST(0, $2::float8 - b."atMs") / 1000)`;

export function createSharedBudgets(db: RawSql): BudgetLedger {
  const costs = new RequestedCosts();
  // Shops whose row this process has seen exist (it is made once, by whoever calls first).
  const known = new Set<string>();
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
      const taken = await db.$queryRawUnsafe<unknown[]>(
        `UPDATE "ShopBucket" AS b
            SET "available" = ${RESTORED} - $3::float8, "atMs" = GREATEST(b."atMs", $2::float8)
          WHERE b."shop" = $1 AND ${RESTORED} >= LEAST($3::float8, b."maximum")
          RETURNING 1`,
        shop,
        now,
        cost,
      );
      if (taken.length > 0) return 0;
      const [row] = await db.$queryRawUnsafe<
        { level: number; maximum: number; restoreRate: number }[]
      >(
        `SELECT ${RESTORED} AS "level", b."maximum", b."restoreRate"
           FROM "ShopBucket" AS b WHERE b."shop" = $1`,
        shop,
        now,
      );
      if (!row) return 0;
      const missing = Math.min(cost, row.maximum) - row.level;
      return Math.max(1, Math.ceil((missing / row.restoreRate) * 1000));
    },

    async snapshot(shop, now) {
      // Any process's calls show: the web process serving Home spends nothing itself.
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

    async settle(shop, answer, now) {
      const status: ThrottleStatus | null = answer.status;
      await db.$queryRawUnsafe(
        `UPDATE "ShopBucket" AS b
            SET "available" = LEAST(COALESCE($5::float8, b."maximum"),
                                    ${RESTORED} + $3::float8,
                                    COALESCE($4::float8, 'Infinity'::float8)),
                "maximum" = COALESCE($5::float8, b."maximum"),
                "restoreRate" = COALESCE($6::float8, b."restoreRate"),
                "atMs" = GREATEST(b."atMs", $2::float8)
          WHERE b."shop" = $1
          RETURNING 1`,
        shop,
        now,
        Math.max(0, answer.reserved - answer.actual),
        status?.currentlyAvailable ?? null,
        status?.maximumAvailable ?? null,
        status?.restoreRate ?? null,
      );
    },
  };
}
