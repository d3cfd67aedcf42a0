// What the fairness benchmark logs beside its figure, so a change in it can be read for its cause
// on a machine shared with other work: where each of the other shops' orders spent its time, from
// the rows' own timestamps (the load's POST, the webhook stored, the route job stored, fetched and
// finished, the decision made, each Step's Shopify call finished, applied); whether their route
// jobs waited behind the burst's in the fetch; how many orders were late by how much; and what the
// processes spent per order decided while the others were measured (CPU, time waiting for a core,
// the simulator's event loop and Admin API answers), which move less with the machine's load than
// the times do.
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Db } from "../../../app/db/client.server";
import type { AdminCallTrace } from "../../../simulator/src/stats";
import { percentile } from "./stats";

export interface OtherOrder {
  orderId: string;
  shop: string;
  /** Before the load's POST to the simulator, and after its answer (the figure's start). */
  postedAt: number;
  paidAt: number;
  /** The decision applied (the figure's end). */
  doneAt: number;
}

interface Window {
  start: number;
  cpu: Record<string, number>;
  waited: Record<string, number>;
  loop: ReturnType<typeof monitorEventLoopDelay>;
}

/** Starts the window the report's per-order figures are taken over (the burst's start). */
export function openWindow(fleet: {
  cpuSeconds(): Record<string, number>;
  waitSeconds(): Record<string, number>;
}): Window {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  return { start: Date.now(), cpu: fleet.cpuSeconds(), waited: fleet.waitSeconds(), loop };
}

const p = (values: number[], q: number) =>
  values.length === 0
    ? Number.NaN
    : percentile(
        [...values].sort((a, b) => a - b),
        q,
      );
const spread = (values: number[]) =>
  `p50 ${Math.round(p(values, 50))}, p95 ${Math.round(p(values, 95))}, max ${Math.round(p(values, 100))} ms (${values.length})`;

/** Log lines on the other shops' orders and the window since openWindow. */
export async function fairnessReport(input: {
  db: Db;
  window: Window;
  fleet: {
    cpuSeconds(): Record<string, number>;
    waitSeconds(): Record<string, number>;
    adminCalls(shop: string): AdminCallTrace[];
  };
  burster: string;
  others: OtherOrder[];
  /** The burst's orders placed by the time the others were applied. */
  burstPlaced: number;
  /** Statements PostgreSQL ran in the window (fleet.statements), when counted. */
  statements?: { query: string; calls: number; ms: number }[];
}): Promise<string[]> {
  const { db, window, others } = input;
  const end = Date.now();
  window.loop.disable();
  const cpu = input.fleet.cpuSeconds();
  const waited = input.fleet.waitSeconds();
  const ids = others.map((o) => o.orderId);
  const lines: string[] = [];

  const decidedInWindow = await db.decision.count({
    where: { createdAt: { gte: new Date(window.start), lte: new Date(end) } },
  });
  const burstDecided = await db.decision.count({
    where: {
      shop: input.burster,
      trigger: { in: ["webhook", "reconciliation"] },
      createdAt: { gte: new Date(window.start), lte: new Date(end) },
    },
  });
  lines.push(
    `window ${end - window.start} ms: burst orders placed ${input.burstPlaced}, decisions made ${decidedInWindow} (the burst's ${burstDecided})`,
  );
  const perOrder = (name: string) =>
    decidedInWindow > 0
      ? ((((cpu[name] ?? 0) - (window.cpu[name] ?? 0)) * 1000) / decidedInWindow).toFixed(1)
      : "-";
  lines.push(
    `CPU ms per decision made in the window: ${Object.keys(cpu)
      .map((name) => `${name} ${perOrder(name)}`)
      .join(", ")}; waited for a core (s): ${Object.keys(waited)
      .map((name) => `${name} ${((waited[name] ?? 0) - (window.waited[name] ?? 0)).toFixed(1)}`)
      .join(", ")}`,
  );
  const ms = (ns: number) => (ns / 1e6).toFixed(0);
  lines.push(
    `the simulator's and load's event loop delay: p50 ${ms(window.loop.percentile(50))}, p99 ${ms(window.loop.percentile(99))}, max ${ms(window.loop.max)} ms`,
  );

  // The other shops' Admin API calls in the window, as the simulator saw them.
  const calls = [...new Set(others.map((o) => o.shop))].flatMap((shop) =>
    input.fleet.adminCalls(shop).filter((c) => c.arrivedAt >= window.start && c.arrivedAt <= end),
  );
  if (calls.length > 0)
    lines.push(
      `other shops' Admin API calls: ${(calls.length / others.length).toFixed(1)} an order, answered in ${spread(calls.map((c) => c.answeredAt - c.arrivedAt))}`,
    );

  // The inbox's state: deliveries by topic and status, every shop's (an order_routing_complete
  // left waiting is answered by its route job, or looked at again by later passes).
  const byTopic = await db.webhookDelivery.groupBy({
    by: ["topic", "status"],
    _count: { _all: true },
  });
  lines.push(
    `deliveries now by topic and status: ${byTopic
      .map((g) => `${g.topic} ${g.status} ${g._count._all}`)
      .sort()
      .join(", ")}`,
  );

  // Each order's stages from the rows' own timestamps.
  const deliveries = await db.webhookDelivery.findMany({
    where: { subjectId: { in: ids } },
    select: { subjectId: true, topic: true, receivedAt: true, triggeredAt: true },
  });
  const firstStored = new Map<string, number>();
  /** When Shopify took the payment: orders/paid's X-Shopify-Triggered-At (the simulator's clock). */
  const paidOnShopify = new Map<string, number>();
  for (const d of deliveries) {
    const at = d.receivedAt.getTime();
    const seen = firstStored.get(d.subjectId!);
    if (seen === undefined || at < seen) firstStored.set(d.subjectId!, at);
    if (d.topic === "orders/paid" && d.triggeredAt)
      paidOnShopify.set(d.subjectId!, d.triggeredAt.getTime());
  }
  const decisions = await db.decision.findMany({
    where: { orderId: { in: ids }, trigger: { in: ["webhook", "reconciliation"] } },
    select: { orderId: true, createdAt: true, appliedAt: true },
  });
  const decisionOf = new Map(decisions.map((d) => [d.orderId, d]));
  type JobRow = {
    group_id: string | null;
    data: { orderId?: string } | null;
    created_on: Date;
    started_on: Date | null;
    completed_on: Date | null;
  };
  // Every route job stored since the window opened, every shop's: the fetch's view.
  const jobs = await db.$queryRawUnsafe<JobRow[]>(
    `SELECT group_id, data, created_on, started_on, completed_on FROM pgboss.job
      WHERE name = 'route-order' AND created_on >= $1`,
    new Date(window.start - 5000),
  );
  const jobOf = new Map<string, JobRow>();
  for (const j of jobs) {
    const orderId = j.data?.orderId;
    if (!orderId || j.group_id === input.burster) continue;
    const seen = jobOf.get(orderId);
    if (!seen || j.created_on < seen.created_on) jobOf.set(orderId, j);
  }
  // The figure starts when the load's POST is answered; Shopify's paid moment is inside that
  // POST, and the webhooks may be stored before its answer reaches the load (a negative step).
  const stageNames = [
    "load's POST answered",
    "answered (the figure's start)→first webhook stored",
    "stored→route job stored",
    "job stored→fetched",
    "fetched→decision row made",
    "made→applied (Shopify's snapshot, the plan, its Steps)",
  ] as const;
  const stages = new Map<string, number[]>(stageNames.map((n) => [n, []]));
  const breakdown = (o: OtherOrder): (number | undefined)[] => {
    const d = decisionOf.get(o.orderId);
    const job = jobOf.get(o.orderId);
    const at = [
      o.postedAt,
      o.paidAt,
      firstStored.get(o.orderId),
      job?.created_on.getTime(),
      job?.started_on?.getTime(),
      d?.createdAt.getTime(),
      o.doneAt,
    ];
    return stageNames.map((_, i) =>
      at[i] !== undefined && at[i + 1] !== undefined ? at[i + 1]! - at[i]! : undefined,
    );
  };
  for (const o of others) {
    breakdown(o).forEach((v, i) => {
      if (v !== undefined) stages.get(stageNames[i]!)!.push(v);
    });
  }
  for (const [name, values] of stages) lines.push(`${name}: ${spread(values)}`);
  const fromShopify = others.flatMap((o) => {
    const paid = paidOnShopify.get(o.orderId);
    return paid === undefined ? [] : [o.doneAt - paid];
  });
  lines.push(
    `paid on Shopify (orders/paid's triggered-at)→applied: ${spread(fromShopify)}; Shopify's paid→the figure's start: ${spread(
      others.flatMap((o) => {
        const paid = paidOnShopify.get(o.orderId);
        return paid === undefined ? [] : [o.paidAt - paid];
      }),
    )}`,
  );

  // How late, and where the latest ones' time went.
  const waits = others.map((o) => o.doneAt - o.paidAt);
  lines.push(
    `paid→applied over 500 ms: ${waits.filter((w) => w > 500).length}, over 1,000: ${waits.filter((w) => w > 1000).length}, over 2,000: ${waits.filter((w) => w > 2000).length} of ${others.length}`,
  );
  // The shop's Admin API calls between an order's decision row being made and the order applied
  // (one order of the shop at a time in the window): that order's calls.
  const callsMadeToApplied = (o: OtherOrder, made: number) =>
    input.fleet.adminCalls(o.shop).filter((c) => c.arrivedAt >= made && c.answeredAt <= o.doneAt);
  const slowest = [...others].sort((a, b) => b.doneAt - b.paidAt - (a.doneAt - a.paidAt));
  for (const o of slowest.slice(0, 3)) {
    const b = breakdown(o);
    lines.push(
      `slow: ${o.doneAt - o.paidAt} ms = ${stageNames
        .slice(1)
        .map((n, i) => `${n} ${b[i + 1] ?? "?"}`)
        .join(", ")}`,
    );
    // Its made→applied call by call, as the simulator saw the shop's calls (one order of the shop
    // at a time in the window): the gaps before a call arrived are the worker's (and the
    // simulator's event loop), the rest Shopify's answer.
    const made = decisionOf.get(o.orderId)?.createdAt.getTime();
    if (made !== undefined) {
      let at = made;
      const parts = callsMadeToApplied(o, made).map((c) => {
        const part = `+${c.arrivedAt - at} ${c.operation} ${c.answeredAt - c.arrivedAt}`;
        at = c.answeredAt;
        return part;
      });
      lines.push(`  its made→applied: ${[...parts, `+${o.doneAt - at} applied`].join(", ")}`);
    }
  }

  // Every other order's wait from its decision's row to its first Admin API call reaching the
  // simulator, by when the row was made (seconds into the window): a wait every order in flight
  // shares at one moment is a stall of something they share (a process, the machine), one that
  // follows the burst's jobs is the app's.
  const firstCall = others
    .flatMap((o) => {
      const made = decisionOf.get(o.orderId)?.createdAt.getTime();
      if (made === undefined) return [];
      const call = callsMadeToApplied(o, made)[0];
      return call ? [{ made, wait: call.arrivedAt - made }] : [];
    })
    .sort((a, b) => a.made - b.made);
  lines.push(
    `decision made (s into the window)→its first Admin call arrived (ms): ${firstCall
      .map((f) => `${((f.made - window.start) / 1000).toFixed(1)}:${f.wait}`)
      .join(" ")}`,
  );

  // The fetch: were the other shops' jobs fetched behind the burst's?
  const span = (j: JobRow) => ({
    stored: j.created_on.getTime(),
    started: j.started_on?.getTime() ?? Number.POSITIVE_INFINITY,
    finished: j.completed_on?.getTime() ?? Number.POSITIVE_INFINITY,
  });
  const all = jobs.map((j) => ({ shop: j.group_id, ...span(j) }));
  let behindBurst = 0;
  let slotsFull = 0;
  const runningAtStore: number[] = [];
  const burstRunningAtStore: number[] = [];
  for (const job of jobOf.values()) {
    const mine = span(job);
    const running = all.filter((j) => j.started <= mine.stored && j.finished > mine.stored);
    runningAtStore.push(running.length);
    burstRunningAtStore.push(running.filter((j) => j.shop === input.burster).length);
    // Burst jobs stored after this one and fetched before it: taken ahead of it.
    behindBurst += all.filter(
      (j) => j.shop === input.burster && j.stored > mine.stored && j.started < mine.started,
    ).length;
    if (mine.started - mine.stored > 50 && running.length >= 32) slotsFull++;
  }
  lines.push(
    `route jobs running when an other shop's was stored: ${spread(runningAtStore).replace(/ ms/, "")}, the burst's ${spread(burstRunningAtStore).replace(/ ms/, "")}; waited over 50 ms with 32 running: ${slotsFull}; burst jobs stored later but fetched before them: ${behindBurst}`,
  );

  if (input.statements) {
    const n = Math.max(1, decidedInWindow);
    const top = input.statements.slice(0, 12);
    const totalCalls = input.statements.reduce((sum, s) => sum + s.calls, 0);
    const totalMs = input.statements.reduce((sum, s) => sum + s.ms, 0);
    lines.push(
      `statements per decision made: ${(totalCalls / n).toFixed(1)}, executing ${(totalMs / n).toFixed(2)} ms`,
    );
    for (const s of top)
      lines.push(
        `  ${(s.calls / n).toFixed(2)}/order ${(s.ms / n).toFixed(3)} ms: ${s.query.replace(/\s+/g, " ").slice(0, 160)}`,
      );
  }
  return lines;
}
