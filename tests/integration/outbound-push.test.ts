// Outbound push against a real HTTP receiver that checks the signature the way a merchant's system
// would: an order routed from Shopify's signed webhooks by the worker, its decision and its
// fulfillment pushed; 500s retried with backoff by the job queue, also across a worker restart;
// a rotated secret signs every later push and the old signature is refused; "send again"; a name
// that resolves inside the network, and an IP literal inside it, refused at the push: not contacted,
// failed at the first attempt and not retried, while a name that does not resolve is retried.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type * as Dns from "node:dns";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import db from "~/db.server";
import { createJobQueue } from "~/jobs/job-queue.server";
import type { Job, JobQueue } from "~/jobs/queue";
import {
  handleRouteOrder,
  handleRefreshOrder,
  processInbox,
  QUEUES,
  startWorker,
  type WorkerDeps,
} from "~/fulfilment/worker.server";
import {
  PUSH_HMAC_HEADER,
  PUSH_QUEUE,
  rotatePushSecret,
  sendPush,
  type PushJob,
  sendPushAgain,
  startPush,
  sweepPush,
} from "~/fulfilment/push.server";
import { addPushEndpoint, loadPushScreen, pushUrlProblem } from "~/services/push.server";
import { customerOrderData, redactCustomer } from "~/services/compliance.server";
import { englishTranslator } from "~/i18n/i18next.server";
import { withWorkerSuite } from "../support/worker-suite";

/** A name on the internet that its DNS points at this machine (re-pointed after it was added). */
const REPOINTED = "erp.print-lab.example";
/** A name on the internet that its DNS does not know (yet): a failure the backoff may outlast. */
const UNRESOLVED = "wms.print-lab.example";
vi.mock("node:dns", async (importOriginal) => {
  const dns = await importOriginal<typeof Dns>();
  const lookup = ((hostname: string, options: object, callback: (...args: unknown[]) => void) =>
    hostname === "erp.print-lab.example"
      ? callback(null, [{ address: "127.0.0.1", family: 4 }])
      : hostname === "wms.print-lab.example"
        ? callback(
            Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" }),
          )
        : dns.lookup(hostname, options, callback)) as typeof dns.lookup;
  return { ...dns, default: { ...dns, lookup }, lookup };
});

const { sim } = withWorkerSuite({
  shop: { notifyCustomer: false },
  rules: [
    {
      id: "rule-fulfil-prints",
      name: "Prints ship from the studio",
      conditions: [{ field: "sku", operator: "equals", value: "PRINT-MATTE-A4" }],
      actions: [{ type: "fulfil_automatically" }],
    },
  ],
});
const HOUR = 60 * 60_000;

interface Received {
  id: string;
  body: string;
  headers: IncomingHttpHeaders;
  accepted: boolean;
  at: number;
}

/** The merchant's system: checks the signature with the secret it was given, answers as told. */
class Receiver {
  server!: Server;
  url = "";
  secret = "";
  received: Received[] = [];
  /** Answers each push (by its delivery id) with 500 this many times before it takes it. */
  failEach = 0;

  async start() {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString("utf8");
      const valid = verify(body, req.headers[PUSH_HMAC_HEADER.toLowerCase()], this.secret);
      const id = req.headers["x-fulfilment-router-delivery-id"];
      const failing = valid && this.received.filter((r) => r.id === id).length < this.failEach;
      const accepted = valid && !failing;
      this.received.push({ id: String(id), body, headers: req.headers, accepted, at: Date.now() });
      res.writeHead(!valid ? 401 : failing ? 500 : 200).end();
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/orders`;
  }
  accepted() {
    return this.received.filter((r) => r.accepted).map((r) => JSON.parse(r.body) as PushBody);
  }
}

interface PushBody {
  id: string;
  event: string;
  topic?: string;
  order: { id: string | null; name: string | null };
  decision?: { status: string; steps: { kind: string; status: string }[] };
  fulfillment?: { status: string; lineItems: { sku: string; quantity: number }[] };
}

/** How a receiver checks a push: the base64 HMAC-SHA256 of the raw body, compared in constant time. */
function verify(body: string, header: string | string[] | undefined, secret: string): boolean {
  if (typeof header !== "string" || !secret) return false;
  const expected = createHmac("sha256", secret).update(body, "utf8").digest();
  const given = Buffer.from(header, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const receiver = new Receiver();
const queues: JobQueue[] = [];
const stops: Array<() => void> = [];

beforeAll(() => receiver.start());
afterAll(() => new Promise((resolve) => receiver.server.close(resolve)));
afterEach(async () => {
  for (const stop of stops.splice(0)) stop();
  await Promise.all(queues.splice(0).map((q) => q.stop()));
});

beforeEach(() => {
  receiver.received = [];
  receiver.failEach = 0;
  // The receiver is on this machine: these tests allow addresses inside the network, as an
  // operator whose app runs beside its receivers does; the tests of the refusal turn it off.
  vi.stubEnv("PUSH_ALLOW_PRIVATE_ADDRESSES", "true");
});
afterEach(() => {
  vi.unstubAllEnvs();
});

function workerDeps(): WorkerDeps {
  const queue = createJobQueue(db, process.env.DATABASE_URL!);
  queues.push(queue);
  return { db, queue, gatewayFor: async () => sim.gateway, now: () => new Date() };
}

/** Shopify's webhooks in, the order routed, the fulfillment's own webhook in and handled. */
async function settle(deps: WorkerDeps) {
  for (let round = 0; round < 2; round++) {
    await sim.webhooksDelivered();
    while ((await processInbox(deps)) > 0);
    await deps.queue.drain(QUEUES.routeOrder, (job) => handleRouteOrder(deps, job));
    await deps.queue.drain(QUEUES.refreshOrder, (job) => handleRefreshOrder(deps, job));
  }
}

async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The pushes the receiver took once it has an order's decision and its fulfillment. */
function decisionAndFulfillment() {
  return until("the decision and the fulfillment", () => {
    const got = receiver.accepted();
    return got.some((b) => b.event === "decision") &&
      got.some((b) => b.topic === "fulfillments/create")
      ? got
      : undefined;
  });
}

async function subscribe(events = "all") {
  const added = await addPushEndpoint(db, sim.shop, { url: receiver.url, events }, new Date());
  if (!added.ok) throw new Error(JSON.stringify(added.errors));
  const shop = await db.shop.findUniqueOrThrow({ where: { shop: sim.shop } });
  receiver.secret = shop.pushSecret!;
  return added.id;
}

async function paidPrintOrder(worker: WorkerDeps) {
  const order = await sim.createOrder({
    lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 2, properties: { Crop: "12,8,88,92" } }],
    payment: "paid",
  });
  await settle(worker);
  return order;
}

describe("outbound push", () => {
  it("pushes the decision and the fulfillment, signed, without the customer's details", async () => {
    await subscribe();
    const worker = workerDeps();
    const { orderId, name } = await paidPrintOrder(worker);
    stops.push(startPush(worker, { sweepEveryMs: 50 }));

    const bodies = await decisionAndFulfillment();
    const decision = bodies.find((b) => b.event === "decision")!;
    expect(decision.order).toEqual({ id: orderId, name });
    expect(decision.decision?.status).toBe("applied");
    expect(decision.decision?.steps.map((s) => [s.kind, s.status])).toContainEqual([
      "fulfillmentCreate",
      "succeeded",
    ]);
    const fulfillment = bodies.find((b) => b.topic === "fulfillments/create")!;
    expect(fulfillment.order.id).toBe(orderId);
    expect(fulfillment.fulfillment?.lineItems).toEqual([
      expect.objectContaining({ sku: "PRINT-MATTE-A4", quantity: 2 }),
    ]);
    // Shopify's fulfillments/create names the customer's e-mail and address; the push does not.
    const delivery = await db.webhookDelivery.findFirstOrThrow({
      where: { topic: "fulfillments/create" },
    });
    const email = (JSON.parse(delivery.payload) as { email: string }).email;
    expect(email).toContain("@");
    for (const r of receiver.received) {
      expect(r.body).not.toContain(email);
      expect(r.body).not.toContain("address1");
    }
    // Each event once, whatever the number of sweeps; the log says delivered at the first try.
    await sweepPush(worker);
    const log = await until("every push delivered", async () => {
      const screen = await loadPushScreen(db, sim.shop, await englishTranslator());
      return screen.deliveries.every((d) => d.status === "delivered") ? screen : undefined;
    });
    expect(new Set(log.deliveries.map((d) => d.id)).size).toBe(log.deliveries.length);
    expect(receiver.accepted().length).toBe(log.deliveries.length);
    expect(log.deliveries.every((d) => d.status === "delivered" && d.attempts === 1)).toBe(true);
    expect(log.deliveries.every((d) => d.lastStatus === 200)).toBe(true);
  });

  it("pushes a decision and a fulfillment as the worker records them, its safety sweep an hour away", async () => {
    await subscribe();
    // The worker as production starts it, its sweep's safety pass an hour away: only being told
    // (a route job settled, the inbox handled a fulfillment webhook) can explain a push.
    const worker = startWorker(workerDeps(), {
      pushSweepEveryMs: HOUR,
      reconcileEveryMs: HOUR,
    });
    try {
      const { orderId } = await sim.createOrder({
        lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 2 }],
        payment: "paid",
      });
      const bodies = await decisionAndFulfillment();
      expect(bodies.find((b) => b.event === "decision")?.order.id).toBe(orderId);
      expect(bodies.find((b) => b.topic === "fulfillments/create")?.order.id).toBe(orderId);
    } finally {
      await worker.stop();
    }
  });

  it("pushes nothing that happened before the address was added, and only the events chosen", async () => {
    const worker = workerDeps();
    await paidPrintOrder(worker);
    await subscribe("decisions");
    await sweepPush(worker);
    expect(await db.pushDelivery.count()).toBe(0);

    const second = await paidPrintOrder(worker);
    await sweepPush(worker);
    // The routing decision and the one Shopify's fulfillments/create led to; no fulfillment event.
    const rows = await db.pushDelivery.findMany();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.event === "decision" && r.orderId === second.orderId)).toBe(true);

    // The customer's data request reports what was pushed about the order; a redact erases it.
    const [report] = await customerOrderData(
      db,
      sim.shop,
      [second.orderId],
      await englishTranslator(),
    );
    expect(report!.pushesSent).toHaveLength(rows.length);
    await redactCustomer(db, sim.shop, {
      shop_domain: sim.shop,
      customer: { id: 1 },
      orders_to_redact: [Number(second.orderId.split("/").pop())],
    });
    expect(await db.pushDelivery.count()).toBe(0);
  });

  it("retries a receiver answering 500 with backoff until it takes the push, across a worker restart", async () => {
    await subscribe("decisions");
    receiver.failEach = 2;
    const worker = workerDeps();
    const { orderId } = await paidPrintOrder(worker);
    await sweepPush(worker);
    const first = workerDeps();
    first.queue.work(PUSH_QUEUE, (job) => sendPush(first, job as Job<PushJob>));
    const row = await db.pushDelivery.findFirstOrThrow({ where: { orderId } });
    await until("the first 500", async () => {
      const r = await db.pushDelivery.findUniqueOrThrow({ where: { id: row.id } });
      return r.attempts >= 1 || undefined;
    });
    // The worker process goes away with the push still owed; a new one takes it from the queue.
    await first.queue.stop();
    expect(await db.pushDelivery.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      status: "pending",
      lastStatus: 500,
    });

    const second = workerDeps();
    stops.push(startPush(second, { sweepEveryMs: 50 }));
    const delivered = await until("the push delivered", async () => {
      const r = await db.pushDelivery.findUniqueOrThrow({ where: { id: row.id } });
      return r.status === "delivered" ? r : undefined;
    });
    expect(delivered).toMatchObject({ attempts: 3, lastStatus: 200, lastError: null });
    const mine = receiver.received.filter((r) => r.id === row.id);
    expect(mine.map((r) => r.accepted)).toEqual([false, false, true]);
    // The same body each time, so the receiver can tell the repeat by its id.
    expect(new Set(mine.map((r) => r.body)).size).toBe(1);
    // Not at once: the queue waits out its backoff (1 s, then 2 s) between attempts.
    expect(mine[1]!.at - mine[0]!.at).toBeGreaterThanOrEqual(900);
    expect(mine[2]!.at - mine[1]!.at).toBeGreaterThanOrEqual(1900);
  });

  it("signs with the rotated secret only: the old signature is refused, send again delivers", async () => {
    await subscribe("decisions");
    const worker = workerDeps();
    stops.push(startPush(worker, { sweepEveryMs: 50 }));
    await paidPrintOrder(worker);
    const before = await until("the first push", () => receiver.received.find((r) => r.accepted));
    const oldSecret = receiver.secret;
    await until("every push of the first order", async () =>
      (await db.pushDelivery.count({ where: { status: { not: "delivered" } } })) === 0
        ? true
        : undefined,
    );

    const newSecret = await rotatePushSecret(db, sim.shop, new Date());
    expect(newSecret).not.toBe(oldSecret);
    receiver.secret = newSecret;
    // A body signed with the old secret (a replay of the first push) is refused now.
    expect(verify(before.body, before.headers[PUSH_HMAC_HEADER.toLowerCase()], newSecret)).toBe(
      false,
    );
    const replay = await fetch(receiver.url, {
      method: "POST",
      body: before.body,
      headers: { [PUSH_HMAC_HEADER]: String(before.headers[PUSH_HMAC_HEADER.toLowerCase()]) },
    });
    expect(replay.status).toBe(401);

    // The merchant sends the first push again: same body, signed with the new secret, taken.
    const delivery = await db.pushDelivery.findUniqueOrThrow({ where: { id: before.id } });
    receiver.received = [];
    expect(await sendPushAgain(worker, sim.shop, delivery.id)).toBe(true);
    const again = await until("the push sent again", () =>
      receiver.received.find((r) => r.id === delivery.id),
    );
    expect(again.accepted).toBe(true);
    expect(again.body).toBe(before.body);
    expect(verify(again.body, again.headers[PUSH_HMAC_HEADER.toLowerCase()], oldSecret)).toBe(
      false,
    );
    const row = await until("delivered again", async () => {
      const r = await db.pushDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
      return r.status === "delivered" && r.attempts === 2 ? r : undefined;
    });
    expect(row.lastStatus).toBe(200);

    // A receiver still on the old secret refuses what comes after the rotation: it is retried.
    receiver.secret = oldSecret;
    receiver.received = [];
    await paidPrintOrder(worker);
    const refused = await until("a refused push", () => receiver.received[0]);
    expect(refused.accepted).toBe(false);
    // Another shop cannot send this shop's deliveries again.
    expect(await sendPushAgain(worker, "other-shop.myshopify.com", delivery.id)).toBe(false);
  });

  it("refuses an address that is not a URL, http outside development and addresses inside the network", async () => {
    expect(pushUrlProblem("not a url", true, true)).toBe("invalid");
    expect(pushUrlProblem("ftp://example.com/x", true, true)).toBe("invalid");
    expect(pushUrlProblem("http://127.0.0.1:3000/hooks", true, true)).toBeNull();
    expect(pushUrlProblem("http://erp.example.com/hooks", false, false)).toBe("https");
    expect(pushUrlProblem("https://10.1.2.3/hooks", false, false)).toBe("private");
    expect(pushUrlProblem("https://localhost/hooks", false, false)).toBe("private");
    // An app run inside the merchant's network (PUSH_ALLOW_PRIVATE_ADDRESSES): https still.
    expect(pushUrlProblem("https://10.1.2.3/hooks", false, true)).toBeNull();
    expect(pushUrlProblem("http://10.1.2.3/hooks", false, true)).toBe("https");
    expect(pushUrlProblem("https://[::1]/hooks", false, false)).toBe("private");
    expect(pushUrlProblem("https://erp.example.com/hooks", false, false)).toBeNull();
    const bad = await addPushEndpoint(
      db,
      sim.shop,
      { url: "http://erp.example.com/hooks", events: "all" },
      new Date(),
      false,
    );
    expect(bad).toEqual({ ok: false, errors: { url: "https" } });
    expect(await db.pushEndpoint.count()).toBe(0);
    const shop = await db.shop.findUniqueOrThrow({ where: { shop: sim.shop } });
    expect(shop.pushSecret).toBeNull();
  });

  it("fails a push to a name that resolves inside the network, or an IP inside it, at its first attempt: not contacted, not retried", async () => {
    // The operator allows nothing inside the network (production's default).
    vi.stubEnv("PUSH_ALLOW_PRIVATE_ADDRESSES", "");
    const { port } = receiver.server.address() as AddressInfo;
    // Names on the internet pass the screen's check; by the push one's DNS says this machine, and
    // the other's DNS does not know it.
    const repointed = `http://${REPOINTED}:${port}/hooks/orders`;
    const unresolved = `http://${UNRESOLVED}:${port}/hooks/orders`;
    for (const url of [repointed, unresolved])
      expect(
        await addPushEndpoint(db, sim.shop, { url, events: "decisions" }, new Date()),
      ).toMatchObject({ ok: true });
    // An address kept before the screen refused IPv4-mapped IPv6: this machine, written in IPv6.
    const mapped = await db.pushEndpoint.create({
      data: {
        shop: sim.shop,
        url: `http://[::ffff:127.0.0.1]:${port}/hooks/orders`,
        events: "decisions",
        decisionsSeenUntil: new Date(),
        eventsSeenUntil: new Date(),
        createdAt: new Date(),
      },
    });

    const worker = workerDeps();
    stops.push(startPush(worker, { sweepEveryMs: 50 }));
    const { orderId } = await paidPrintOrder(worker);
    const english = await englishTranslator();
    const screen = async () =>
      (await loadPushScreen(db, sim.shop, english)).deliveries.filter((d) => d.orderId === orderId);
    // The name DNS does not know is tried again after the backoff's first second: by then the
    // queue would have tried the refused ones again too, had they been left to it.
    const log = await until("the unresolved name's second attempt", async () => {
      const rows = await screen();
      const retried = rows.filter((d) => d.url === unresolved && d.attempts >= 2);
      return retried.length > 0 && new Set(rows.map((d) => d.url)).size === 3 ? rows : undefined;
    });
    const inside = log.filter((d) => d.url !== unresolved);
    expect(new Set(inside.map((d) => d.url))).toEqual(new Set([repointed, mapped.url]));
    // Failed at once, with a reason the merchant can act on, and nothing a connection would have
    // told (no port open or shut).
    for (const d of inside)
      expect(d).toMatchObject({
        status: "failed",
        attempts: 1,
        lastStatus: null,
        lastError: english("fulfill.push.insideNetwork"),
      });
    expect(english("fulfill.push.insideNetwork")).toContain("Use an address on the internet");
    // The other failure keeps the backoff: waiting for its next attempt, its error as it came.
    for (const d of log.filter((r) => r.url === unresolved))
      expect(d).toMatchObject({
        status: "pending",
        lastError: expect.stringContaining("ENOTFOUND"),
      });
    // No job is left to try the refused ones again: a while later they are as they were.
    await new Promise((r) => setTimeout(r, 2_500));
    const later = (await screen()).filter((d) => d.url !== unresolved);
    expect(later.map((d) => [d.id, d.status, d.attempts]).sort()).toEqual(
      inside.map((d) => [d.id, "failed", 1]).sort(),
    );
    // Nothing was sent: the listener the name and the IP lead to saw no request.
    expect(receiver.received).toEqual([]);

    // "Send again" (the merchant says the name is fixed) tries once more, and fails at once again.
    const first = inside[0]!;
    expect(await sendPushAgain(worker, sim.shop, first.id)).toBe(true);
    const again = await until("the push sent again", async () => {
      const r = await db.pushDelivery.findUniqueOrThrow({ where: { id: first.id } });
      return r.attempts === 2 && r.status === "failed" ? r : undefined;
    });
    expect(again.lastError).toBe(JSON.stringify({ key: "fulfill.push.insideNetwork" }));
    expect(receiver.received).toEqual([]);
  });
});
