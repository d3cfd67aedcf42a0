// Check now on Stuck and drift, through the app's real authentication and the worker's handler as
// the worker runs it (ADR 076): the click asks the job queue for one check of the shop and returns
// at once; the worker's pass finds the drift the lab's word makes and the screen reads what the
// check left; a second click, or two at once, starts no second check; a check Shopify does not
// answer ends failed, and the screen says it was Shopify. A worker process of its own, busy with
// other shops' five-minute passes or idle between its polls, takes the check first and at once
// (ADR 100).
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { callRoute as call, signedRequest } from "../support/route-call";
import { shippedByTheLab } from "../support/partner-lab";
import { startShopSimulator } from "../support/shop-simulator";
import { emptyTables } from "../support/integration";
import { ShopifyApiError } from "~/shopify/errors";
import type { AdminGateway } from "~/shopify/gateway.server";

// The app reads its environment once, on first import: the simulator must be running first.
const sim = await startShopSimulator({ appUrl: process.env.SHOPIFY_APP_URL });
process.env.SHOPIFY_ADMIN_ORIGIN = sim.url;
process.env.WORKER = "off";

const { default: db } = await import("~/db.server");
const { jobQueue } = await import("~/process-queue.server");
const stuckRoute = await import("~/routes/app.stuck");
const { handleDriftScan, QUEUES, WORKER_SLOTS } = await import("~/fulfilment/worker.server");
const { createJobQueue } = await import("~/jobs/job-queue.server");

afterAll(async () => {
  await jobQueue().stop();
  await sim.stop();
});

beforeEach(async () => {
  await emptyTables(db);
  await sim.reset();
  await sim.resetFaults();
  await db.shop.create({ data: { shop: sim.shop, notifyCustomer: false } });
});

interface Answer {
  ok: boolean;
  message: string;
  check?: "started" | "alreadyRunning";
}

/** The merchant chooses Check now. */
async function checkNow(): Promise<Answer> {
  const response = await call(
    stuckRoute.action,
    await signedRequest(sim, "/app/stuck", [["intent", "scan"]]),
  );
  expect(response.status).toBe(200);
  // The action answers with data(): its body and status.
  return ((await response.json()) as { data: Answer }).data;
}

type Screen = Awaited<ReturnType<typeof stuckRoute.loader>>;

/** The Stuck and drift screen as its loader answers. */
async function screen(view = "stuck"): Promise<Screen> {
  const response = await call(
    stuckRoute.loader,
    await signedRequest(sim, `/app/stuck?view=${view}`),
  );
  expect(response.status).toBe(200);
  return (await response.json()) as Screen;
}

/** Shopify answering nothing but errors, at once (the gateway's own retries already spent). */
const shopifyDown: AdminGateway = {
  shop: sim.shop,
  request: () => Promise.reject(new ShopifyApiError("server", "Shopify answered 503", 503)),
};

/** The worker's stuck-and-drift jobs run until none is due; answers the checks among them. */
async function worker(gateway: AdminGateway = sim.gateway): Promise<number> {
  let checks = 0;
  await jobQueue().drain(QUEUES.driftScan, async (job) => {
    if ((job.payload as { check?: boolean }).check) checks++;
    await handleDriftScan(
      { db, queue: jobQueue(), now: () => new Date(), gatewayFor: async () => gateway },
      job,
    );
  });
  return checks;
}

describe("Check now", () => {
  it("asks the worker for one check and answers at once; the screen shows it in hand, then what it left", async () => {
    const order = await shippedByTheLab(sim, db);

    // WHEN the merchant chooses Check now
    expect(await checkNow()).toMatchObject({ ok: true, check: "started" });
    // THEN nothing is scanned in the request: the screen shows the check in hand, asked now
    const asked = await screen("drift");
    expect(asked.findings).toHaveLength(0);
    expect(asked.check).toMatchObject({ status: "queued", finishedAt: null });
    expect(Date.now() - new Date(asked.check!.requestedAt).getTime()).toBeLessThan(60_000);

    // WHEN the worker runs it
    expect(await worker()).toBe(1);
    // THEN the screen shows what the check left, and the drift it found
    const done = await screen("drift");
    expect(done.check).toMatchObject({ status: "done", stuck: 0, drift: 1, repaired: 0 });
    expect(done.check!.finishedAt).not.toBeNull();
    expect(done.findings.map((f) => f.orderName)).toEqual([order.name]);
    expect(done.settings.scannedAt).not.toBeNull();
  });

  it("starts no second check while one is in hand, and says one is running", async () => {
    expect((await checkNow()).check).toBe("started");
    const again = await checkNow();
    expect(again).toMatchObject({ ok: true, check: "alreadyRunning" });
    expect(again.message).toBe("A check is already running, so no second one was started.");
    expect(await worker()).toBe(1);
    // Once it ended, Check now checks again.
    expect((await checkNow()).check).toBe("started");
    expect(await worker()).toBe(1);
  });

  it("starts one check when the button is submitted twice at once", async () => {
    const answers = await Promise.all([checkNow(), checkNow(), checkNow()]);
    expect(answers.map((a) => a.check).sort()).toEqual([
      "alreadyRunning",
      "alreadyRunning",
      "started",
    ]);
    expect(await worker()).toBe(1);
    expect((await screen()).check?.status).toBe("done");
  });

  it("ends failed when Shopify does not answer, and the screen says it was Shopify", async () => {
    expect((await checkNow()).check).toBe("started");
    // GIVEN Shopify answers nothing but errors while the worker runs the check: its attempts
    // run as the worker retries them, each after its backoff
    await expect
      .poll(
        async () => {
          await worker(shopifyDown);
          return (await screen()).check?.status;
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe("failed");
    const failed = (await screen()).check!;
    expect(failed.error).toMatchObject({ shopify: true });
    expect(failed.error!.message).toContain("503");
    expect(failed.finishedAt).not.toBeNull();

    // A failed check holds nothing: once Shopify answers, Check now checks again.
    expect((await checkNow()).check).toBe("started");
    expect(await worker()).toBe(1);
    expect((await screen()).check).toMatchObject({ status: "done", error: null });
  }, 45_000);
});

/** Other shops on the same worker, whose five-minute passes wait for its one drift-scan slot. */
const OTHER_SHOPS = ["north.myshopify.com", "south.myshopify.com", "west.myshopify.com"];
const TEN_MINUTES = 10 * 60_000;

interface SeparateWorker {
  /** The shops of the drift-scan jobs it took, in the order it took them. */
  taken: string[];
  /** Lets the other shop's pass now running end; the passes it takes later hold the slot again. */
  endRunningPass(): void;
  /** Enqueues other shops' five-minute passes as the worker's timer does. */
  scheduledPasses(shops: string[]): Promise<void>;
  stop(): Promise<void>;
}

const workers: SeparateWorker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
});

/**
 * A worker process of its own beside this web process (`npm run worker`; WORKER=off here): its
 * own queue on the database with the drift-scan queue's one slot, its polls ten minutes apart, so
 * within a test only being told finds what the web process stored. Other shops' passes hold the
 * slot until endRunningPass; the check runs the real pass against the simulator.
 */
function separateWorker(): SeparateWorker {
  const queue = createJobQueue(db, process.env.DATABASE_URL!);
  const taken: string[] = [];
  let stopping = false;
  let endPass = () => {};
  let passEnds = new Promise<void>((resolve) => (endPass = resolve));
  queue.work(
    QUEUES.driftScan,
    async (job) => {
      taken.push(job.shop!);
      if (job.shop !== sim.shop) return stopping ? undefined : passEnds;
      await handleDriftScan(
        { db, queue, now: () => new Date(), gatewayFor: async () => sim.gateway },
        job,
      );
    },
    { ...WORKER_SLOTS.driftScan, pollMs: TEN_MINUTES },
  );
  const worker: SeparateWorker = {
    taken,
    endRunningPass() {
      const end = endPass;
      passEnds = new Promise<void>((resolve) => (endPass = resolve));
      end();
    },
    async scheduledPasses(shops) {
      const slot = Math.floor(Date.now() / (5 * 60_000));
      for (const shop of shops)
        await queue.enqueue(
          QUEUES.driftScan,
          { shop },
          { key: `drift-scan:${shop}:${slot}`, shop, maxAttempts: 3 },
        );
    },
    async stop() {
      stopping = true;
      endPass();
      await queue.stop();
    },
  };
  workers.push(worker);
  return worker;
}

describe("Check now on a worker process of its own", () => {
  it("is done before other shops' five-minute passes that were waiting for the worker's slot first", async () => {
    const order = await shippedByTheLab(sim, db);
    // GIVEN a worker busy with another shop's pass, two more shops' passes waiting behind it
    const worker = separateWorker();
    await worker.scheduledPasses(OTHER_SHOPS);
    await expect.poll(() => worker.taken, { timeout: 15_000 }).toEqual([OTHER_SHOPS[0]]);

    // WHEN the merchant chooses Check now, and the running pass ends
    expect(await checkNow()).toMatchObject({ ok: true, check: "started" });
    expect((await screen()).check?.status).toBe("queued");
    worker.endRunningPass();

    // THEN the screen shows the check done, with the drift it found, while the other shops'
    // passes still wait: the check took the slot first
    await expect
      .poll(async () => (await screen("drift")).check?.status, { timeout: 20_000, interval: 200 })
      .toBe("done");
    const done = await screen("drift");
    expect(done.check).toMatchObject({ status: "done", stuck: 0, drift: 1, repaired: 0 });
    expect(done.findings.map((f) => f.orderName)).toEqual([order.name]);
    expect(worker.taken.slice(0, 2)).toEqual([OTHER_SHOPS[0], sim.shop]);
  }, 45_000);

  it("reaches the worker at once while it is idle between its polls", async () => {
    const order = await shippedByTheLab(sim, db);
    // GIVEN a worker that has taken what it had and looks again in ten minutes
    const worker = separateWorker();
    await worker.scheduledPasses(OTHER_SHOPS.slice(0, 1));
    await expect.poll(() => worker.taken, { timeout: 15_000 }).toEqual([OTHER_SHOPS[0]]);
    worker.endRunningPass();
    // (A moment for its look after that pass, which finds nothing: not a measure of anything.)
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await screen()).check).toBeNull();

    // WHEN the merchant chooses Check now
    expect(await checkNow()).toMatchObject({ ok: true, check: "started" });

    // THEN the screen shows the check done, long before the worker's next poll
    await expect
      .poll(async () => (await screen("drift")).check?.status, { timeout: 20_000, interval: 200 })
      .toBe("done");
    const done = await screen("drift");
    expect(done.check).toMatchObject({ status: "done", drift: 1 });
    expect(done.findings.map((f) => f.orderName)).toEqual([order.name]);
  }, 45_000);
});
