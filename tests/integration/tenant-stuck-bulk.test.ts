// Tenant check for the Stuck screen's actions and the bulk report's retry, through the app's real
// authentication (a session token the simulator signs for its shop): another shop's finding or bulk
// action is not found (404) and nothing about it changes: no repair runs, no bulk job starts, no
// failed item goes back to the queue.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callRoute as call } from "../support/route-call";
import { startShopSimulator } from "../support/shop-simulator";
import { stuckFindingRow } from "../support/stuck-finding";

// The app reads its environment once, on first import: the simulator must be running first.
const sim = await startShopSimulator({ appUrl: process.env.SHOPIFY_APP_URL });
process.env.SHOPIFY_ADMIN_ORIGIN = sim.url;
process.env.WORKER = "off";

const { default: db } = await import("~/db.server");
const stuckRoute = await import("~/routes/app.stuck");
const bulkRoute = await import("~/routes/app.bulk.$id");

const OTHER = "other-tenant.myshopify.com";
const BROWSER =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36";

afterAll(async () => {
  await sim.stop();
});

/** A form post signed in as the simulator's shop, with its own session token. */
async function post(path: string, form: [string, string][]): Promise<Request> {
  const { token } = await sim.control<{ token: string }>(
    "GET",
    `/_sim/session-token?shop=${sim.shop}`,
  );
  return new Request(`${process.env.SHOPIFY_APP_URL}${path}`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${token}`,
      "User-Agent": BROWSER,
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams(form).toString(),
  });
}

let theirs: string;
let mine: string;
let theirBulk: string;
beforeAll(async () => {
  const finding = (shop: string, n: number) =>
    db.finding.create({
      data: { ...stuckFindingRow(shop, n), repair: JSON.stringify({ kind: "resubmit" }) },
    });
  theirs = (await finding(OTHER, 9101)).id;
  mine = (await finding(sim.shop, 9102)).id;
  theirBulk = (
    await db.bulkJob.create({
      data: {
        shop: OTHER,
        action: "approve",
        total: 1,
        failed: 1,
        status: "finished",
        finishedAt: new Date(),
        items: {
          create: {
            targetId: "gid://shopify/FulfillmentOrder/9101",
            label: "#9101",
            status: "failed",
            error: "Shopify refused",
          },
        },
      },
    })
  ).id;
  // Signed in once before: what the first sign-in does (token exchange, the install's own jobs) is
  // not what the checks look for.
  const first = await call(stuckRoute.action, await post("/app/stuck", [["intent", "none"]]));
  expect(first.status).toBe(422);
});

/** Everything a leak would change: the findings, the bulk jobs and their items, the jobs. */
const snapshot = async () => ({
  findings: await db.finding.findMany({ orderBy: { id: "asc" } }),
  bulkJobs: await db.bulkJob.findMany({ include: { items: true }, orderBy: { id: "asc" } }),
  jobs: await db.job.findMany({ orderBy: { id: "asc" } }),
});

describe("another shop's ids", () => {
  it("are not found by the Stuck screen's actions, and nothing changes", async () => {
    const before = await snapshot();
    const asks: [string, [string, string][]][] = [
      ["repair", [["findingId", theirs]]],
      [
        "repair with a new place",
        [
          ["findingId", theirs],
          ["locationId", "gid://shopify/Location/1"],
        ],
      ],
      ["resolve", [["findingId", theirs]]],
      ["bulk repair of theirs", [["findingId", theirs]]],
      // One of its own among them does not let the other through.
      [
        "bulk repair of theirs and mine",
        [
          ["findingId", theirs],
          ["findingId", mine],
        ],
      ],
    ];
    for (const [name, form] of asks) {
      const intent = name.startsWith("bulk") ? "bulk-repair" : name.split(" ")[0]!;
      const response = await call(
        stuckRoute.action,
        await post("/app/stuck", [["intent", intent], ...form]),
      );
      expect(response.status, name).toBe(404);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("are not found by the bulk report's retry, and nothing is retried", async () => {
    const before = await snapshot();
    const response = await call(
      bulkRoute.action,
      await post(`/app/bulk/${theirBulk}`, [["intent", "retry"]]),
      { id: theirBulk },
    );
    expect(response.status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });
});
