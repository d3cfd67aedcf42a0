// Calculated query cost and the leaky bucket, on a manual clock so every number is exact.
import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock.ts";
import { errorsOf, gql, testSimulator } from "../../test/helpers.ts";
import { LeakyBucket, queryCost } from "./cost.ts";
import { adminSchema } from "./schema.ts";

const requested = (q: string, variables: Record<string, unknown> = {}) =>
  queryCost(adminSchema(), parse(q), undefined, variables);

describe("requested cost (rate-limits page: scalar 0, object 1, connection 2 + n × node, mutation 10)", () => {
  it("costs 1 for an object with scalar fields and 0 for scalars/enums", () => {
    expect(requested(`{ shop { name currencyCode plan { shopifyPlus } } }`)).toBe(2);
    expect(requested(`{ shop { name } }`)).toBe(1);
  });

  it("sizes a connection by first: 2 + first × (1 + the node's own cost), nested connections multiply", () => {
    expect(requested(`{ orders(first: 10) { nodes { id name } } }`)).toBe(12);
    expect(
      requested(`{ orders(first: 10) { edges { cursor node { id } } pageInfo { hasNextPage } } }`),
    ).toBe(12);
    expect(
      requested(`{ orders(first: 10) { nodes { id lineItems(first: 5) { nodes { sku } } } } }`),
    ).toBe(2 + 10 * (1 + 2 + 5));
    expect(
      requested(`query($n: Int) { orders(last: $n) { nodes { customer { id } } } }`, { n: 4 }),
    ).toBe(2 + 4 * 2);
  });

  it("takes the maximum over the possible types of an interface (node)", () => {
    expect(
      requested(
        `{ node(id: "x") { id ... on Order { customer { id } lineItems(first: 3) { nodes { id } } } ... on Product { id } } }`,
      ),
    ).toBe(1 + 1 + 5);
  });

  it("charges 10 for a mutation, its payload included", () => {
    expect(
      requested(
        `mutation { fulfillmentOrderHold(id: "x", fulfillmentHold: { reason: OTHER }) { fulfillmentOrder { id status } remainingFulfillmentOrder { id } userErrors { field message code } } }`,
      ),
    ).toBe(10);
    expect(
      requested(
        `mutation { a: tagsAdd(id: "x", tags: ["a"]) { userErrors { message } } b: tagsRemove(id: "x", tags: ["a"]) { userErrors { message } } }`,
      ),
    ).toBe(20);
  });

  it("honours @skip and @include", () => {
    expect(
      requested(
        `query($s: Boolean!) { shop { name } orders(first: 10) @skip(if: $s) { nodes { id } } }`,
        { s: true },
      ),
    ).toBe(1);
  });
});

describe("actual cost (what came back; never above the requested cost)", () => {
  const actual = (q: string, data: Record<string, unknown>) =>
    queryCost(adminSchema(), parse(q), undefined, {}, data);

  it("counts a list without first as the one object it was requested as, however many came back", () => {
    // A fulfillment order's supported actions: a plain list, requested as one object (1 + 1).
    const q = `{ fulfillmentOrder(id: "x") { id supportedActions { action } } }`;
    expect(requested(q)).toBe(2);
    const four = ["HOLD", "MOVE", "CREATE_FULFILLMENT", "REQUEST_FULFILLMENT"].map((action) => ({
      action,
    }));
    expect(actual(q, { fulfillmentOrder: { id: "x", supportedActions: four } })).toBe(2);
    expect(actual(q, { fulfillmentOrder: { id: "x", supportedActions: [] } })).toBe(1);
  });

  it("counts a list with first by the elements that came back, up to first", () => {
    const q = `{ order(id: "x") { fulfillments(first: 5) { id } } }`;
    expect(requested(q)).toBe(1 + 5);
    const two = [{ id: "a" }, { id: "b" }];
    expect(actual(q, { order: { fulfillments: two } })).toBe(1 + 2);
  });
});

describe("leaky bucket", () => {
  it("restores by plan: 100/200/1000/2000 points per second, bucket 20× the restore rate", () => {
    const clock = new ManualClock();
    for (const [plan, rate] of [
      ["standard", 100],
      ["advanced", 200],
      ["plus", 1000],
      ["enterprise", 2000],
    ] as const) {
      const b = new LeakyBucket(clock, plan);
      expect(b.status()).toEqual({
        maximumAvailable: rate * 20,
        currentlyAvailable: rate * 20,
        restoreRate: rate,
      });
    }
  });

  it("leaks continuously and never overfills", () => {
    const clock = new ManualClock();
    const b = new LeakyBucket(clock, "standard");
    expect(b.take(1500)).toBe(true);
    expect(b.status().currentlyAvailable).toBe(500);
    clock.advance(2500);
    expect(b.status().currentlyAvailable).toBe(750);
    expect(b.take(800)).toBe(false);
    clock.advance(60_000);
    expect(b.status().currentlyAvailable).toBe(2000);
  });
});

describe("cost on the wire", () => {
  it("reports extensions.cost on every answer and refunds the difference between requested and actual cost", async () => {
    const { sim, token } = testSimulator();
    const a = await gql(sim, token, `{ orders(first: 50) { nodes { id } } }`);
    // 6 demo orders come back: actual = 2 + 6.
    expect(a.body.extensions!.cost).toEqual({
      requestedQueryCost: 52,
      actualQueryCost: 8,
      throttleStatus: { maximumAvailable: 4000, currentlyAvailable: 3992, restoreRate: 200 },
    });
  });

  it("refuses a single query over 1000 points before executing it (MAX_COST_EXCEEDED)", async () => {
    const { sim, token } = testSimulator();
    const a = await gql(
      sim,
      token,
      `{ orders(first: 250) { nodes { lineItems(first: 250) { nodes { id } } } } }`,
    );
    expect(a.status).toBe(200);
    expect(a.body.data).toBeUndefined();
    expect(errorsOf(a)[0]!.extensions).toEqual({
      code: "MAX_COST_EXCEEDED",
      cost: 2 + 250 * 253,
      maxCost: 1000,
    });
    expect(a.body.extensions!.cost!.actualQueryCost).toBeNull();
    expect(a.body.extensions!.cost!.throttleStatus.currentlyAvailable).toBe(4000);
  });

  it("answers THROTTLED (HTTP 200, no data, actualQueryCost null) once the bucket can't hold the requested cost, and recovers at the restore rate", async () => {
    const { sim, token, clock, shop } = testSimulator();
    shop.plan = "standard";
    // Requested 332; actual 56 (9 products, 27 variants: 2 + 9 × 3 + 27): the bucket drains by 56 per call.
    const q = `{ products(first: 10) { nodes { variants(first: 30) { nodes { id } } } } }`;
    let last = 2000;
    let calls = 0;
    for (;;) {
      const a = await gql(sim, token, q);
      calls++;
      const cost = a.body.extensions!.cost!;
      expect(cost.requestedQueryCost).toBe(332);
      if (errorsOf(a).length) {
        expect(last).toBeLessThan(332);
        expect(a.status).toBe(200);
        expect(a.body).toEqual({
          errors: [
            {
              message: "Throttled",
              extensions: {
                code: "THROTTLED",
                documentation: "https://shopify.dev/api/usage/rate-limits",
              },
            },
          ],
          extensions: {
            cost: {
              requestedQueryCost: 332,
              actualQueryCost: null,
              throttleStatus: {
                maximumAvailable: 2000,
                currentlyAvailable: last,
                restoreRate: 100,
              },
            },
          },
        });
        break;
      }
      expect(cost.actualQueryCost).toBe(56);
      expect(cost.throttleStatus.currentlyAvailable).toBe(last - 56);
      last = cost.throttleStatus.currentlyAvailable;
      expect(calls).toBeLessThan(40);
    }
    expect(calls).toBe(31);
    clock.advance(Math.ceil(((332 - last) / 100) * 1000));
    const again = await gql(sim, token, q);
    expect(errorsOf(again)).toEqual([]);
    expect(sim.stats.for(shop.domain)).toMatchObject({ calls: 32, throttled: 1 });
  });

  it("keeps one bucket per app and shop: a fulfilment service's calls don't drain ours", async () => {
    const { sim, token, shop } = testSimulator();
    const service = sim.mintServiceToken(shop.domain, "partner-lab");
    await gql(sim, service, `{ orders(first: 250) { nodes { id } } }`);
    const ours = await gql(sim, token, `{ shop { name } }`);
    expect(ours.body.extensions!.cost!.throttleStatus.currentlyAvailable).toBe(3999);
  });
});
