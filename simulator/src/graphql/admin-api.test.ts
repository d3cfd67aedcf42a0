// The Admin GraphQL endpoint as Shopify serves it: token check, document validation, queries, mutations with userErrors, unimplemented fields.
import { describe, expect, it } from "vitest";
import { errorsOf, gql, testSimulator, type Loose } from "../../test/helpers.ts";
import { PARTNER_LAB_HANDLE } from "../seed/demo.ts";
import { gid } from "../shop/ids.ts";
import { createOrder } from "../shop/orders.ts";

const ORDER = /* GraphQL */ `
  query Order($id: ID!) {
    order(id: $id) {
      id
      name
      displayFinancialStatus
      displayFulfillmentStatus
      tags
      risk {
        recommendation
        assessments {
          riskLevel
        }
      }
      customer {
        email
        tags
      }
      lineItems(first: 10) {
        nodes {
          sku
          quantity
          requiresShipping
          isGiftCard
          customAttributes {
            key
            value
          }
          variant {
            selectedOptions {
              name
              value
            }
            product {
              productType
            }
          }
        }
      }
      fulfillmentOrders(first: 10) {
        nodes {
          id
          status
          requestStatus
          assignedLocation {
            name
            location {
              id
              isFulfillmentService
              fulfillmentService {
                handle
              }
            }
          }
          supportedActions {
            action
          }
          fulfillmentHolds {
            reason
            handle
            heldByRequestingApp
          }
          lineItems(first: 10) {
            nodes {
              id
              totalQuantity
              remainingQuantity
              sku
            }
          }
        }
      }
    }
  }
`;

function firstOrderId(sim: ReturnType<typeof testSimulator>["sim"], name = "#1002") {
  const o = [...sim.state.shop("fulfilment-router-demo.myshopify.com")!.orders.values()].find(
    (x) => x.name === name,
  )!;
  return `gid://shopify/Order/${o.id}`;
}

describe("authentication of Admin API calls", () => {
  it("answers 401 with Shopify's body when the access token is missing or unknown", async () => {
    const { sim } = testSimulator();
    for (const token of [null, "shpat_nope"]) {
      const a = await gql(sim, token, "{ shop { name } }");
      expect(a.status).toBe(401);
      expect(a.body).toEqual({
        errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
      });
    }
  });

  it("accepts a token issued by the auth store and scopes the answer to that token's shop", async () => {
    const { sim, token } = testSimulator();
    const a = await gql(sim, token, "{ shop { myshopifyDomain plan { shopifyPlus } } }");
    expect(a.status).toBe(200);
    expect(a.body.data).toEqual({
      shop: {
        myshopifyDomain: "fulfilment-router-demo.myshopify.com",
        plan: { shopifyPlus: false },
      },
    });
  });
});

// A shop installed before the app asked for read_inventory has not granted it until the merchant
// approves. Shopify answers a field the installation has no scope for with a top-level error,
// extensions.code ACCESS_DENIED, the field null and the rest of the data as asked. The wording
// differs between sources, so each reading is played (Readings.accessDenied): "named" after the
// 2020-07 changelog ("New error messages for GraphQL operations without necessary access scopes")
// and community.shopify.dev t/32302 (API 2026-01); "bare" after community.shopify.com t/118350
// and kirillplatonov/shopify_graphql issue 35 (2023).
describe("access scopes the installation granted (InventoryItem.inventoryLevel needs read_inventory)", () => {
  const STOCK = `query($ids: [ID!]!, $locationId: ID!) { nodes(ids: $ids) { ... on InventoryItem { id tracked inventoryLevel(locationId: $locationId) { quantities(names: ["available"]) { name quantity } } } } }`;
  const stockOf = (shop: ReturnType<typeof testSimulator>["shop"]) => {
    const variant = [...shop.variants.values()].find((v) => v.sku === "PRINT-MATTE-A4")!;
    const studio = [...shop.locations.values()].find((l) => l.name === "Studio")!;
    return {
      ids: [gid("InventoryItem", variant.inventoryItemId)],
      locationId: gid("Location", studio.id),
    };
  };

  it.each([
    [
      "named",
      "Access denied for inventoryLevel field. Required access: `read_inventory` access scope.",
      {
        code: "ACCESS_DENIED",
        documentation: "https://shopify.dev/api/usage/access-scopes",
        requiredAccess: "`read_inventory` access scope.",
      },
    ],
    [
      "bare",
      "Access denied for inventoryLevel field.",
      { code: "ACCESS_DENIED", documentation: "https://shopify.dev/api/usage/access-scopes" },
    ],
  ] as const)(
    "refuses the stock to a token without read_inventory, reading %s: ACCESS_DENIED at the field, the rest answered",
    async (reading, message, extensions) => {
      const { sim, shop } = testSimulator();
      sim.state.readings.accessDenied = reading;
      const granted = sim.options.scopes
        .split(",")
        .filter((s) => s !== "read_inventory")
        .join(",");
      const token = sim.mintToken("fulfilment-router-demo.myshopify.com", granted);
      const a = await gql(sim, token, STOCK, stockOf(shop));
      expect(a.status).toBe(200);
      expect(a.body.errors).toEqual([
        {
          message,
          locations: [{ line: 1, column: STOCK.indexOf("inventoryLevel") + 1 }],
          path: ["nodes", 0, "inventoryLevel"],
          extensions,
        },
      ]);
      expect(a.body.data).toEqual({
        nodes: [{ id: stockOf(shop).ids[0], tracked: true, inventoryLevel: null }],
      });
    },
  );

  it("answers the stock to a token with read_inventory, or with write_inventory, which gives read", async () => {
    const { sim, shop, token } = testSimulator();
    const writer = sim.mintToken(
      "fulfilment-router-demo.myshopify.com",
      "read_products,write_inventory",
    );
    for (const t of [token, writer]) {
      const a = await gql(sim, t, STOCK, stockOf(shop));
      expect(a.body.errors).toBeUndefined();
      expect(a.body.data!.nodes[0].inventoryLevel.quantities[0].name).toBe("available");
    }
  });
});

describe("document validation against the committed 2026-10 schema", () => {
  it("refuses an unknown field with HTTP 200, no data, and graphql-ruby's message and extensions.code (undefinedField)", async () => {
    const { sim, token } = testSimulator();
    const a = await gql(sim, token, `query Q { order(id: "gid://shopify/Order/1") { id colour } }`);
    expect(a.status).toBe(200);
    expect(a.body.data).toBeUndefined();
    expect(errorsOf(a)[0]).toMatchObject({
      message: "Field 'colour' doesn't exist on type 'Order'",
      path: ["query Q", "order", "colour"],
      extensions: { code: "undefinedField", typeName: "Order", fieldName: "colour" },
    });
    expect(a.body.extensions?.cost?.requestedQueryCost).toBe(0);
  });

  it("refuses a missing required argument (missingRequiredArguments) and an unknown argument (argumentNotAccepted)", async () => {
    const { sim, token } = testSimulator();
    const missing = await gql(sim, token, "{ order { id } }");
    expect(errorsOf(missing)[0]).toMatchObject({
      message: "Field 'order' is missing required arguments: id",
      extensions: { code: "missingRequiredArguments" },
    });
    const unknown = await gql(sim, token, `{ order(id: "x", colour: 1) { id } }`);
    expect(errorsOf(unknown)[0]).toMatchObject({
      message: "Field 'order' doesn't accept argument 'colour'",
      extensions: { code: "argumentNotAccepted" },
    });
  });

  it("refuses selections on scalars and missing selections on objects (selectionMismatch)", async () => {
    const { sim, token } = testSimulator();
    const a = await gql(sim, token, `{ shop { name { x } } }`);
    expect(errorsOf(a)[0]!.extensions?.code).toBe("selectionMismatch");
    const b = await gql(sim, token, `{ shop }`);
    expect(errorsOf(b)[0]!.extensions?.code).toBe("selectionMismatch");
  });

  it("refuses a syntax error and an undeclared variable", async () => {
    const { sim, token } = testSimulator();
    const syntax = await gql(sim, token, `{ shop { name }`);
    expect(syntax.status).toBe(200);
    expect(errorsOf(syntax)[0]!.extensions?.code).toBe("PARSE_ERROR");
    const undeclared = await gql(sim, token, `query { order(id: $id) { id } }`);
    expect(errorsOf(undeclared)[0]).toMatchObject({
      message: "Variable $id is used by anonymous query but not declared",
      extensions: { code: "variableNotDefined" },
    });
  });

  it("refuses a variable of the wrong type before executing anything", async () => {
    const { sim, token } = testSimulator();
    const a = await gql(sim, token, `query($id: ID!) { order(id: $id) { id } }`, {});
    expect(errorsOf(a)[0]!.message).toBe("Variable $id of type ID! was provided invalid value");
    expect(a.body.data).toBeUndefined();
  });

  it("answers a body without a query with 400, as Shopify does", async () => {
    const { sim, token } = testSimulator();
    const res = await sim.app.request("/admin/api/2026-10/graphql.json", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
      body: "{}",
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      errors: { query: "Required parameter missing or invalid" },
    });
  });
});

describe("a document sent again (parsed, validated and priced once per text, as Shopify caches)", () => {
  const PAGED = /* GraphQL */ `
    query Paged($n: Int!, $withLines: Boolean!) {
      orders(first: $n) {
        nodes {
          id
          lineItems(first: 5) @include(if: $withLines) {
            nodes {
              id
            }
          }
        }
      }
    }
  `;

  it("refuses an invalid document every time it is sent, not only the first", async () => {
    const { sim, token } = testSimulator();
    const first = await gql(sim, token, "{ shop { nope } }");
    const again = await gql(sim, token, "{ shop { nope } }");
    expect(errorsOf(first)[0]!.extensions?.code).toBe("undefinedField");
    expect(again.body).toEqual(first.body);
    expect(again.body.data).toBeUndefined();
  });

  it("checks each call's variables, though the document was validated before", async () => {
    const { sim, token } = testSimulator();
    const ok = await gql(sim, token, PAGED, { n: 2, withLines: false });
    expect(ok.body.data?.orders.nodes).toHaveLength(2);
    const wrong = await gql(sim, token, PAGED, { n: "two", withLines: false });
    expect(errorsOf(wrong)[0]!.message).toBe("Variable $n of type Int! was provided invalid value");
    expect(wrong.body.data).toBeUndefined();
    const missing = await gql(sim, token, PAGED, { n: 2 });
    expect(errorsOf(missing)[0]!.message).toBe(
      "Variable $withLines of type Boolean! was provided invalid value",
    );
  });

  it("prices each call by its own page sizes and @include switches (connection 2 + n × node)", async () => {
    const { sim, token } = testSimulator();
    const requested = async (variables: Record<string, unknown>) =>
      (await gql(sim, token, PAGED, variables)).body.extensions!.cost!.requestedQueryCost;
    // orders: 2 + n × (1 + lines), lines (when included) 2 + 5 × 1.
    expect(await requested({ n: 2, withLines: false })).toBe(4);
    expect(await requested({ n: 10, withLines: false })).toBe(12);
    expect(await requested({ n: 2, withLines: true })).toBe(18);
    expect(await requested({ n: 2, withLines: false })).toBe(4);
    // The actual cost counts what each call returned: the demo shop's six orders, one line or more each.
    const lines = await gql(sim, token, PAGED, { n: 10, withLines: true });
    const returned = lines.body.data!.orders.nodes as { lineItems: { nodes: unknown[] } }[];
    expect(lines.body.extensions!.cost!.actualQueryCost).toBe(
      2 + returned.reduce((sum, o) => sum + 1 + 2 + o.lineItems.nodes.length, 0),
    );
  });

  it("refuses a call over 1,000 points after cheaper calls of the same document (MAX_COST_EXCEEDED)", async () => {
    const { sim, token } = testSimulator();
    expect(errorsOf(await gql(sim, token, PAGED, { n: 2, withLines: true }))).toEqual([]);
    const big = await gql(sim, token, PAGED, { n: 250, withLines: true });
    expect(errorsOf(big)[0]!.extensions).toMatchObject({ code: "MAX_COST_EXCEEDED", cost: 2002 });
    expect(big.body.data).toBeUndefined();
  });
});

describe("queries", () => {
  it("reads an order with its fulfillment orders, lines, crop properties and supportedActions", async () => {
    const { sim, token } = testSimulator();
    const a = await gql(sim, token, ORDER, { id: firstOrderId(sim, "#1002") });
    expect(a.body.errors).toBeUndefined();
    const o = a.body.data!.order;
    expect(o.name).toBe("#1002");
    expect(o.displayFinancialStatus).toBe("PAID");
    expect(o.lineItems.nodes[0].customAttributes).toEqual([
      { key: "Image", value: "DSC_0112.jpg" },
      { key: "Crop", value: "x:0.00 y:0.00 w:1.00 h:1.00" },
      { key: "_image_url", value: "http://127.0.0.1:8787/cdn/shop/files/DSC_0112.jpg" },
      { key: "_print_file", value: "http://127.0.0.1:8787/cdn/shop/files/DSC_0112-print.jpg" },
    ]);
    expect(
      o.lineItems.nodes[0].variant.selectedOptions.map((x: { name: string }) => x.name),
    ).toEqual(["Paper", "Size", "Finish"]);
    const [studio, lab] = o.fulfillmentOrders.nodes;
    expect(studio.assignedLocation.name).toBe("Studio");
    expect(studio.supportedActions.map((x: { action: string }) => x.action)).toEqual([
      "CREATE_FULFILLMENT",
      "HOLD",
      "MOVE",
      "REPORT_PROGRESS",
    ]);
    expect(lab.assignedLocation.location.fulfillmentService.handle).toBe(PARTNER_LAB_HANDLE);
    expect(lab.supportedActions.map((x: { action: string }) => x.action)).toEqual([
      "REQUEST_FULFILLMENT",
      "HOLD",
      "MOVE",
    ]);
    expect(a.body.extensions?.cost?.actualQueryCost).toBeGreaterThan(0);
  });

  it("filters orders by financial_status and pages with first/after and pageInfo (search syntax, cursor pagination)", async () => {
    const { sim, token } = testSimulator();
    const q = `query($after: String) { orders(first: 2, after: $after, query: "financial_status:paid", sortKey: ORDER_NUMBER) { nodes { name displayFinancialStatus } pageInfo { hasNextPage hasPreviousPage endCursor } } }`;
    const p1 = await gql(sim, token, q);
    expect(p1.body.data!.orders.nodes.map((n: { name: string }) => n.name)).toEqual([
      "#1001",
      "#1002",
    ]);
    expect(p1.body.data!.orders.pageInfo).toMatchObject({
      hasNextPage: true,
      hasPreviousPage: false,
    });
    const p2 = await gql(sim, token, q, { after: p1.body.data!.orders.pageInfo.endCursor });
    expect(p2.body.data!.orders.nodes.map((n: { name: string }) => n.name)).toEqual([
      "#1003",
      "#1005",
    ]);
    expect(p2.body.data!.orders.pageInfo).toMatchObject({
      hasNextPage: false,
      hasPreviousPage: true,
    });
    const authorized = await gql(
      sim,
      token,
      `{ orders(first: 10, query: "financial_status:authorized") { nodes { name } } }`,
    );
    expect(authorized.body.data!.orders.nodes).toEqual([{ name: "#1004" }]);
  });

  it("pages from where the cursor stands in the sort, as Shopify's cursors carry the last value: an order changed since the last page neither ends the list nor skips the rest", async () => {
    const { sim, token, clock, shop } = testSimulator();
    clock.advance(1000);
    const until = new Date(clock.now()).toISOString();
    const q = (query: string) =>
      `query($after: String) { orders(first: 2, after: $after, query: "${query}", sortKey: UPDATED_AT) { nodes { name } pageInfo { hasNextPage endCursor } } }`;
    const names = (r: Awaited<ReturnType<typeof gql>>) =>
      r.body.data!.orders.nodes.map((n: { name: string }) => n.name);
    const all = [...shop.orders.values()]
      .sort((a, b) =>
        a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : a.id - b.id,
      )
      .map((o) => o.name);
    // Within a window that ends now: the page's last order changes after it was read, so it
    // leaves the window; the next page is the orders after it all the same.
    const windowed = q(`updated_at:<='${until}'`);
    const p1 = await gql(sim, token, windowed);
    expect(names(p1)).toEqual(all.slice(0, 2));
    clock.advance(60_000);
    const changed = [...shop.orders.values()].find((o) => o.name === all[1])!;
    changed.updatedAt = new Date(clock.now()).toISOString();
    const p2 = await gql(sim, token, windowed, { after: p1.body.data!.orders.pageInfo.endCursor });
    expect(names(p2)).toEqual(all.slice(2, 4));
    // Without an end: the changed order comes again after the others, where its new value sorts.
    const open = q("updated_at:>2020-01-01");
    const o1 = await gql(sim, token, open);
    expect(names(o1)).toEqual(all.filter((n) => n !== all[1]).slice(0, 2));
    const third = [...shop.orders.values()].find((o) => o.name === all[2])!;
    clock.advance(60_000);
    third.updatedAt = new Date(clock.now()).toISOString();
    const rest: string[] = [];
    let after = o1.body.data!.orders.pageInfo.endCursor as string | null;
    while (after) {
      const page = await gql(sim, token, open, { after });
      rest.push(...names(page));
      after = page.body.data!.orders.pageInfo.hasNextPage
        ? (page.body.data!.orders.pageInfo.endCursor as string)
        : null;
    }
    // The page's last order changed after it was read: read again at its new place, nothing skipped.
    expect(rest).toEqual([...all.slice(3), all[1], all[2]]);
  });

  it("filters orders by created_at and updated_at ranges", async () => {
    const { sim, token, clock, shop } = testSimulator();
    const since = new Date(clock.now()).toISOString();
    clock.advance(60_000);
    const [o] = [...shop.orders.values()];
    o!.updatedAt = new Date(clock.now()).toISOString();
    const updated = await gql(
      sim,
      token,
      `{ orders(first: 10, query: "updated_at:>'${since}'") { nodes { name } } }`,
    );
    expect(updated.body.data!.orders.nodes).toEqual([{ name: o!.name }]);
    const created = await gql(
      sim,
      token,
      `{ orders(first: 10, query: "created_at:<='${since}' AND created_at:>=2020-01-01") { nodes { name } } }`,
    );
    expect(created.body.data!.orders.nodes).toHaveLength(6);
  });

  it("ignores an unknown search field and warns in extensions.search", async () => {
    const { sim, token } = testSimulator();
    const a = await gql(
      sim,
      token,
      `{ orders(first: 10, query: "colour:red") { nodes { name } } }`,
    );
    expect(a.body.data!.orders.nodes).toHaveLength(6);
    expect(a.body.extensions?.search).toEqual([
      {
        path: "orders",
        query: "colour:red",
        warnings: [{ field: "colour", message: "Invalid search field for this query." }],
      },
    ]);
  });

  it("lists fulfilment-service locations only with includeLegacy (locations query)", async () => {
    const { sim, token } = testSimulator();
    const plain = await gql(sim, token, `{ locations(first: 10) { nodes { name } } }`);
    expect(plain.body.data!.locations.nodes).toEqual([{ name: "Studio" }]);
    const all = await gql(
      sim,
      token,
      `{ locations(first: 10, includeLegacy: true) { nodes { name isFulfillmentService } } }`,
    );
    expect(all.body.data!.locations.nodes).toEqual([
      { name: "Partner Lab", isFulfillmentService: true },
      { name: "Studio", isFulfillmentService: false },
    ]);
  });

  it("resolves node and nodes by GID, and null for unknown or foreign ids", async () => {
    const { sim, token } = testSimulator();
    const id = firstOrderId(sim);
    const a = await gql(
      sim,
      token,
      `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Order { name } } }`,
      { ids: [id, "gid://shopify/Order/1", "nonsense"] },
    );
    expect(a.body.data!.nodes).toEqual([{ __typename: "Order", id, name: "#1002" }, null, null]);
  });

  it("refuses an unbounded connection ('you must provide one of first or last')", async () => {
    const { sim, token } = testSimulator();
    const a = await gql(sim, token, `{ orders { nodes { id } } }`);
    expect(errorsOf(a)[0]!.message).toBe("you must provide one of first or last");
  });

  it("reads products and productVariants with SKU and options", async () => {
    const { sim, token } = testSimulator();
    const a = await gql(
      sim,
      token,
      `{ productVariants(first: 5, query: "sku:CANVAS-40x60-WRAP") { nodes { sku price inventoryQuantity selectedOptions { name value } product { title productType } } } products(first: 2, query: "product_type:Canvas") { nodes { title options { name values } } } }`,
    );
    expect(a.body.data!.productVariants.nodes).toEqual([
      {
        sku: "CANVAS-40x60-WRAP",
        price: "89.00",
        inventoryQuantity: 40,
        selectedOptions: [
          { name: "Size", value: "40x60" },
          { name: "Finish", value: "Gallery Wrap" },
        ],
        product: { title: "Canvas Print", productType: "Canvas" },
      },
    ]);
    expect(a.body.data!.products.nodes[0].options[1]).toEqual({
      name: "Finish",
      values: ["Gallery Wrap", "Framed"],
    });
  });
});

describe("the trace of Admin API calls (benchmarks)", () => {
  it("keeps each call's points and the bucket's level after its take and its refund, THROTTLED ones too", async () => {
    const { sim, token, clock, shop } = testSimulator();
    const query = `query Names { orders(first: 10) { nodes { name } } }`;
    await gql(sim, token, query);
    expect(sim.stats.calls(shop.domain)).toEqual([]);
    sim.stats.traceCalls();
    const bucket = sim.bucketFor(shop.domain);
    const full = bucket.status().currentlyAvailable;
    const ran = await gql(sim, token, query);
    const { requestedQueryCost, actualQueryCost } = ran.body.extensions!.cost as {
      requestedQueryCost: number;
      actualQueryCost: number;
    };
    expect(bucket.take(bucket.status().currentlyAvailable)).toBe(true);
    const refused = await gql(sim, token, query);
    expect((refused.body.errors as Loose)[0].extensions.code).toBe("THROTTLED");
    const at = clock.now();
    expect(sim.stats.calls(shop.domain)).toEqual([
      {
        operation: "Names",
        arrivedAt: at,
        takenAt: at,
        answeredAt: at,
        requested: requestedQueryCost,
        actual: actualQueryCost,
        levelAfterTake: full - requestedQueryCost,
        levelAfterRefund: full - actualQueryCost,
      },
      {
        operation: "Names",
        arrivedAt: at,
        takenAt: at,
        answeredAt: at,
        requested: requestedQueryCost,
        actual: null,
        levelAfterTake: 0,
        levelAfterRefund: 0,
      },
    ]);
  });
});

describe("fields the simulator doesn't model", () => {
  it("answers a clear error naming an unimplemented non-null field, and null for a nullable one", async () => {
    const { sim, token } = testSimulator();
    const a = await gql(
      sim,
      token,
      `query($id: ID!) { order(id: $id) { name merchantBusinessEntity { id } } }`,
      { id: firstOrderId(sim) },
    );
    expect(errorsOf(a)[0]!.message).toContain("Order.merchantBusinessEntity");
    expect(errorsOf(a)[0]!.extensions?.code).toBe("SIMULATOR_NOT_IMPLEMENTED");
    const b = await gql(
      sim,
      token,
      `query($id: ID!) { order(id: $id) { name customerJourneySummary { ready } } }`,
      { id: firstOrderId(sim) },
    );
    expect(b.body.errors).toBeUndefined();
    expect(b.body.data!.order).toEqual({ name: "#1002", customerJourneySummary: null });
  });

  it("refuses an unimplemented mutation rather than answering null", async () => {
    const { sim, token } = testSimulator();
    const a = await gql(
      sim,
      token,
      `mutation { orderEditBegin(id: "gid://shopify/Order/1") { userErrors { message } } }`,
    );
    expect(errorsOf(a)[0]!.message).toContain("orderEditBegin");
  });
});

describe("mutations", () => {
  const HOLD = `mutation($id: ID!, $h: FulfillmentOrderHoldInput!) { fulfillmentOrderHold(id: $id, fulfillmentHold: $h) { fulfillmentHold { id reason handle heldByRequestingApp } fulfillmentOrder { id status } remainingFulfillmentOrder { id status } userErrors { field message code } } }`;

  async function labAndStudio(sim: ReturnType<typeof testSimulator>["sim"], token: string) {
    const a = await gql(sim, token, ORDER, { id: firstOrderId(sim, "#1002") });
    const [studio, lab] = a.body.data!.order.fulfillmentOrders.nodes;
    return { studio, lab };
  }

  it("holds through GraphQL and answers FULFILLMENT_ORDER_HOLD_LIMIT_REACHED on the 11th hold of the app (fulfillmentOrderHold's description: up to 10 active holds per app; the code's description is the message)", async () => {
    const { sim, token } = testSimulator();
    const { studio } = await labAndStudio(sim, token);
    const first = await gql(sim, token, HOLD, {
      id: studio.id,
      h: { reason: "OTHER", reasonNotes: "crop", handle: "h0" },
    });
    expect(first.body.data!.fulfillmentOrderHold).toMatchObject({
      fulfillmentHold: { reason: "OTHER", handle: "h0", heldByRequestingApp: true },
      fulfillmentOrder: { status: "ON_HOLD" },
      userErrors: [],
    });
    for (let i = 1; i < 10; i++)
      await gql(sim, token, HOLD, { id: studio.id, h: { reason: "OTHER", handle: `h${i}` } });
    const eleventh = await gql(sim, token, HOLD, {
      id: studio.id,
      h: { reason: "OTHER", handle: "h10" },
    });
    expect(eleventh.body.data!.fulfillmentOrderHold.userErrors[0]).toMatchObject({
      code: "FULFILLMENT_ORDER_HOLD_LIMIT_REACHED",
      field: ["id"],
      // FulfillmentOrderHoldUserErrorCode.FULFILLMENT_ORDER_HOLD_LIMIT_REACHED's description.
      message:
        "The maximum number of fulfillment holds for this fulfillment order has been reached for this app. An app can only have up to 10 holds on a single fulfillment order at any one time.",
    });
    expect(eleventh.body.data!.fulfillmentOrderHold.fulfillmentHold).toBeNull();
  });

  it("answers FULFILLMENT_ORDER_NOT_FOUND for an unknown fulfillment order", async () => {
    const { sim, token } = testSimulator();
    const a = await gql(sim, token, HOLD, {
      id: "gid://shopify/FulfillmentOrder/1",
      h: { reason: "OTHER" },
    });
    expect(a.body.data!.fulfillmentOrderHold.userErrors).toEqual([
      {
        field: ["id"],
        message: "Fulfillment order does not exist.",
        code: "FULFILLMENT_ORDER_NOT_FOUND",
      },
    ]);
  });

  it("refuses fulfillmentCreate on a fulfillment order owned by another fulfillment service (API 2024-10 rule)", async () => {
    const { sim, token } = testSimulator();
    const { lab } = await labAndStudio(sim, token);
    const a = await gql(
      sim,
      token,
      `mutation($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { fulfillment { id } userErrors { field message } } }`,
      {
        f: {
          lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: lab.id }],
          notifyCustomer: true,
          trackingInfo: { number: "1", company: "DHL" },
        },
      },
    );
    expect(a.body.data!.fulfillmentCreate.fulfillment).toBeNull();
    expect(a.body.data!.fulfillmentCreate.userErrors[0].field).toEqual([
      "fulfillment",
      "lineItemsByFulfillmentOrder",
      "0",
      "fulfillmentOrderId",
    ]);
    expect(a.body.data!.fulfillmentCreate.userErrors[0].message).toContain("2024-10");
  });

  it("fulfils a merchant-managed fulfillment order with tracking and closes it", async () => {
    const { sim, token } = testSimulator();
    const { studio } = await labAndStudio(sim, token);
    const a = await gql(
      sim,
      token,
      `mutation($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { fulfillment { name status trackingInfo { company number url } fulfillmentLineItems(first: 5) { nodes { quantity lineItem { sku } } } } userErrors { message } } }`,
      {
        f: {
          lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: studio.id }],
          notifyCustomer: true,
          trackingInfo: { number: "00340434", company: "DHL", url: "https://dhl.example/00340434" },
        },
      },
    );
    expect(a.body.data!.fulfillmentCreate).toEqual({
      fulfillment: {
        name: "#1002.1",
        status: "SUCCESS",
        trackingInfo: [{ company: "DHL", number: "00340434", url: "https://dhl.example/00340434" }],
        fulfillmentLineItems: { nodes: [{ quantity: 1, lineItem: { sku: "PRINT-LUSTRE-A4" } }] },
      },
      userErrors: [],
    });
    const fo = await gql(
      sim,
      token,
      `query($id: ID!) { fulfillmentOrder(id: $id) { status supportedActions { action } } }`,
      { id: studio.id },
    );
    expect(fo.body.data!.fulfillmentOrder).toEqual({ status: "CLOSED", supportedActions: [] });
  });

  it("lets only the fulfilment service app answer requests: ACCESS_DENIED for our app, accepted with the service's token", async () => {
    const { sim, token } = testSimulator();
    const { lab } = await labAndStudio(sim, token);
    const submit = await gql(
      sim,
      token,
      `mutation($id: ID!) { fulfillmentOrderSubmitFulfillmentRequest(id: $id, message: "check crop") { submittedFulfillmentOrder { id requestStatus } userErrors { message } } }`,
      { id: lab.id },
    );
    expect(
      submit.body.data!.fulfillmentOrderSubmitFulfillmentRequest.submittedFulfillmentOrder,
    ).toEqual({ id: lab.id, requestStatus: "SUBMITTED" });
    const ACCEPT = `mutation($id: ID!) { fulfillmentOrderAcceptFulfillmentRequest(id: $id, message: "ok") { fulfillmentOrder { status requestStatus } userErrors { message } } }`;
    const denied = await gql(sim, token, ACCEPT, { id: lab.id });
    expect(errorsOf(denied)[0]!.extensions?.code).toBe("ACCESS_DENIED");
    const service = sim.mintServiceToken(
      "fulfilment-router-demo.myshopify.com",
      PARTNER_LAB_HANDLE,
    );
    const accepted = await gql(sim, service, ACCEPT, { id: lab.id });
    expect(accepted.body.data!.fulfillmentOrderAcceptFulfillmentRequest).toEqual({
      fulfillmentOrder: { status: "IN_PROGRESS", requestStatus: "ACCEPTED" },
      userErrors: [],
    });
  });

  it("moves a fulfillment order and refuses the move while the request is SUBMITTED (fulfillmentOrderMove)", async () => {
    const { sim, token, shop } = testSimulator();
    const { lab } = await labAndStudio(sim, token);
    const studio = [...shop.locations.values()].find((l) => l.name === "Studio")!;
    await gql(
      sim,
      token,
      `mutation($id: ID!) { fulfillmentOrderSubmitFulfillmentRequest(id: $id) { userErrors { message } } }`,
      { id: lab.id },
    );
    const MOVE = `mutation($id: ID!, $loc: ID!) { fulfillmentOrderMove(id: $id, newLocationId: $loc) { movedFulfillmentOrder { id assignedLocation { name } } originalFulfillmentOrder { id } userErrors { field message } } }`;
    const refused = await gql(sim, token, MOVE, {
      id: lab.id,
      loc: `gid://shopify/Location/${studio.id}`,
    });
    expect(refused.body.data!.fulfillmentOrderMove.userErrors[0].message).toContain("SUBMITTED");
    expect(refused.body.data!.fulfillmentOrderMove.movedFulfillmentOrder).toBeNull();
  });

  it("splits and merges with new ids through GraphQL (fulfillmentOrderSplit, fulfillmentOrderMerge)", async () => {
    const { sim, token } = testSimulator();
    const id = firstOrderId(sim, "#1001");
    const a = await gql(sim, token, ORDER, { id });
    const fo = a.body.data!.order.fulfillmentOrders.nodes[0];
    const line = fo.lineItems.nodes[0];
    const split = await gql(
      sim,
      token,
      `mutation($s: [FulfillmentOrderSplitInput!]!) { fulfillmentOrderSplit(fulfillmentOrderSplits: $s) { fulfillmentOrderSplits { fulfillmentOrder { id lineItems(first: 5) { nodes { totalQuantity } } } remainingFulfillmentOrder { id lineItems(first: 5) { nodes { id totalQuantity } } } replacementFulfillmentOrder { id } } userErrors { field message code } } }`,
      {
        s: [
          { fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: [{ id: line.id, quantity: 1 }] },
        ],
      },
    );
    const res = split.body.data!.fulfillmentOrderSplit.fulfillmentOrderSplits[0];
    expect(res.fulfillmentOrder.id).toBe(fo.id);
    expect(res.remainingFulfillmentOrder.id).not.toBe(fo.id);
    expect(res.remainingFulfillmentOrder.lineItems.nodes[0].id).not.toBe(line.id);
    const merge = await gql(
      sim,
      token,
      `mutation($m: [FulfillmentOrderMergeInput!]!) { fulfillmentOrderMerge(fulfillmentOrderMergeInputs: $m) { fulfillmentOrderMerges { fulfillmentOrder { id lineItems(first: 5) { nodes { totalQuantity } } } } userErrors { message } } }`,
      {
        m: [
          {
            mergeIntents: [
              { fulfillmentOrderId: fo.id },
              { fulfillmentOrderId: res.remainingFulfillmentOrder.id },
            ],
          },
        ],
      },
    );
    const mergedFo =
      merge.body.data!.fulfillmentOrderMerge.fulfillmentOrderMerges[0].fulfillmentOrder;
    expect(mergedFo.lineItems).toEqual({ nodes: [{ totalQuantity: 2 }] });
    expect([fo.id, res.remainingFulfillmentOrder.id]).not.toContain(mergedFo.id);
  });

  it("captures an authorization (orderCapture) and refuses capturing more than authorized", async () => {
    const { sim, token } = testSimulator();
    const id = firstOrderId(sim, "#1004");
    const a = await gql(
      sim,
      token,
      `query($id: ID!) { order(id: $id) { displayFinancialStatus capturable totalCapturableSet { shopMoney { amount } } transactions { id kind authorizationExpiresAt } } }`,
      { id },
    );
    const order = a.body.data!.order;
    expect(order).toMatchObject({ displayFinancialStatus: "AUTHORIZED", capturable: true });
    const auth = order.transactions[0];
    const CAPTURE = `mutation($i: OrderCaptureInput!) { orderCapture(input: $i) { transaction { kind amountSet { shopMoney { amount } } parentTransaction { id } } userErrors { field message } } }`;
    const tooMuch = await gql(sim, token, CAPTURE, {
      i: { id, parentTransactionId: auth.id, amount: "1000.00" },
    });
    expect(tooMuch.body.data!.orderCapture.userErrors[0].field).toEqual(["input", "amount"]);
    const ok = await gql(sim, token, CAPTURE, {
      i: { id, parentTransactionId: auth.id, amount: order.totalCapturableSet.shopMoney.amount },
    });
    expect(ok.body.data!.orderCapture).toMatchObject({
      transaction: { kind: "CAPTURE", parentTransaction: { id: auth.id } },
      userErrors: [],
    });
    const after = await gql(
      sim,
      token,
      `query($id: ID!) { order(id: $id) { displayFinancialStatus capturable } }`,
      { id },
    );
    expect(after.body.data!.order).toEqual({ displayFinancialStatus: "PAID", capturable: false });
  });

  it('captures an order paid in another currency in that one: OrderCaptureInput.currency "must be the presentment currency … required for orders where the currency and presentment currency differ"', async () => {
    const { sim, token, shop } = testSimulator();
    const r = createOrder(sim.state, shop, {
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "authorized",
      presentment: { currency: "USD", rate: 1.1 },
    });
    if (!r.ok) throw new Error("order");
    const id = gid("Order", r.value.id);
    const a = await gql(
      sim,
      token,
      `query($id: ID!) { order(id: $id) { currencyCode presentmentCurrencyCode transactions { id totalUnsettledSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } } } } }`,
      { id },
    );
    const order = a.body.data!.order;
    expect([order.currencyCode, order.presentmentCurrencyCode]).toEqual(["EUR", "USD"]);
    const auth = order.transactions[0];
    const dollars = auth.totalUnsettledSet.presentmentMoney;
    expect(dollars.currencyCode).toBe("USD");
    expect(Number(auth.totalUnsettledSet.shopMoney.amount)).toBe(
      Math.round((Number(dollars.amount) * 100) / 1.1) / 100,
    );
    const CAPTURE = `mutation($i: OrderCaptureInput!) { orderCapture(input: $i) { transaction { kind } userErrors { field message } } }`;
    const capture = (input: Record<string, unknown>) =>
      gql(sim, token, CAPTURE, { i: { id, parentTransactionId: auth.id, ...input } });
    const inEuros = await capture({
      amount: auth.totalUnsettledSet.shopMoney.amount,
      currency: "EUR",
    });
    expect(inEuros.body.data!.orderCapture.userErrors[0].field).toEqual(["input", "currency"]);
    const noCurrency = await capture({ amount: dollars.amount });
    expect(noCurrency.body.data!.orderCapture.userErrors[0].field).toEqual(["input", "currency"]);
    const ok = await capture({ amount: dollars.amount, currency: "USD" });
    expect(ok.body.data!.orderCapture).toEqual({
      transaction: { kind: "CAPTURE" },
      userErrors: [],
    });
  });

  it("gives authorizationExpiresAt on Plus and Enterprise only; elsewhere null, and a lapsed authorization still answers a userError (OrderTransaction.authorizationExpiresAt: 'available only to stores on a Shopify Plus plan')", async () => {
    const { sim, clock } = testSimulator();
    const Q = `query($id: ID!) { order(id: $id) { transactions { id authorizationExpiresAt } } }`;
    const expiries: Record<string, unknown> = {};
    for (const plan of ["standard", "advanced", "plus", "enterprise"] as const) {
      const domain = `auth-${plan}.myshopify.com`;
      const shop = sim.addShop(domain, plan, "demo");
      const r = createOrder(sim.state, shop, {
        lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
        payment: "authorized",
      });
      if (!r.ok) throw new Error("order");
      const a = await gql(sim, sim.mintToken(domain), Q, { id: gid("Order", r.value.id) });
      expiries[plan] = a.body.data!.order.transactions[0].authorizationExpiresAt;
      if (plan === "standard") {
        clock.advance(8 * 24 * 3600 * 1000);
        const capture = await gql(
          sim,
          sim.mintToken(domain),
          `mutation($i: OrderCaptureInput!) { orderCapture(input: $i) { transaction { id } userErrors { field message } } }`,
          {
            i: {
              id: gid("Order", r.value.id),
              parentTransactionId: a.body.data!.order.transactions[0].id,
              amount: "1.00",
            },
          },
        );
        expect(capture.body.data!.orderCapture.transaction).toBeNull();
        expect(capture.body.data!.orderCapture.userErrors[0].message).toMatch(/expired/);
      }
    }
    expect(expiries.standard).toBeNull();
    expect(expiries.advanced).toBeNull();
    expect(expiries.plus).toEqual(expect.any(String));
    expect(expiries.enterprise).toEqual(expect.any(String));
  });

  it("refuses to capture an expired authorization", async () => {
    const { sim, token, clock } = testSimulator();
    const id = firstOrderId(sim, "#1004");
    const a = await gql(sim, token, `query($id: ID!) { order(id: $id) { transactions { id } } }`, {
      id,
    });
    clock.advance(8 * 24 * 3600 * 1000);
    const r = await gql(
      sim,
      token,
      `mutation($i: OrderCaptureInput!) { orderCapture(input: $i) { userErrors { message } } }`,
      { i: { id, parentTransactionId: a.body.data!.order.transactions[0].id, amount: "1.00" } },
    );
    expect(r.body.data!.orderCapture.userErrors[0].message).toMatch(/expired/);
    const s = await gql(
      sim,
      token,
      `query($id: ID!) { order(id: $id) { displayFinancialStatus } }`,
      { id },
    );
    expect(s.body.data!.order.displayFinancialStatus).toBe("EXPIRED");
  });

  it("cancels with refund and restock (orderCancel, 2025-07+ arguments), then tags, notes, closes", async () => {
    const { sim, token, shop } = testSimulator();
    const id = firstOrderId(sim, "#1001");
    const variant = [...shop.variants.values()].find((v) => v.sku === "PRINT-MATTE-A4")!;
    const level = () =>
      [...shop.inventory.values()].find(
        (l) =>
          l.inventoryItemId === variant.inventoryItemId &&
          shop.locations.get(l.locationId)!.name === "Studio",
      )!;
    expect(level()).toMatchObject({ available: 23, committed: 2 });
    const c = await gql(
      sim,
      token,
      `mutation($id: ID!) { orderCancel(orderId: $id, reason: CUSTOMER, refundMethod: { originalPaymentMethodsRefund: true }, restock: true, notifyCustomer: false, staffNote: "asked by phone") { job { id done } orderCancelUserErrors { code message } userErrors { message } } }`,
      { id },
    );
    expect(c.body.data!.orderCancel).toMatchObject({
      job: { done: false },
      orderCancelUserErrors: [],
      userErrors: [],
    });
    await gql(sim, token, `query($id: ID!) { job(id: $id) { done } }`, {
      id: c.body.data!.orderCancel.job.id,
    });
    expect(level()).toMatchObject({ available: 25, committed: 0 });
    const again = await gql(
      sim,
      token,
      `mutation($id: ID!) { orderCancel(orderId: $id, reason: CUSTOMER, restock: true) { orderCancelUserErrors { code } } }`,
      { id },
    );
    expect(again.body.data!.orderCancel.orderCancelUserErrors[0].code).toBe("INVALID");
    await gql(
      sim,
      token,
      `mutation($id: ID!) { tagsAdd(id: $id, tags: ["routed, reviewed"]) { node { id } userErrors { message } } }`,
      { id },
    );
    await gql(
      sim,
      token,
      `mutation($i: OrderInput!) { orderUpdate(input: $i) { order { note } userErrors { message } } }`,
      { i: { id, note: "Refunded in full" } },
    );
    await gql(
      sim,
      token,
      `mutation($i: OrderCloseInput!) { orderClose(input: $i) { order { closed } userErrors { message } } }`,
      { i: { id } },
    );
    const s = await gql(
      sim,
      token,
      `query($id: ID!) { order(id: $id) { tags note closed cancelReason cancellation { staffNote } displayFinancialStatus fulfillmentOrders(first: 5) { nodes { status } } } }`,
      { id },
    );
    expect(s.body.data!.order).toEqual({
      tags: ["web", "routed", "reviewed"],
      note: "Refunded in full",
      closed: true,
      cancelReason: "CUSTOMER",
      cancellation: { staffNote: "asked by phone" },
      displayFinancialStatus: "REFUNDED",
      fulfillmentOrders: { nodes: [{ status: "CLOSED" }] },
    });
  });

  // OrderCancelPayload.job: "The job that asynchronously cancels the order"; Job.done: "This
  // indicates if the job is still queued or has been run"; OrderCancelJobResult: status and errors.
  it("answers orderCancel with a queued job; the order is cancelled when the job has run (OrderCancelPayload, Job, OrderCancelJobResult)", async () => {
    const { sim, token } = testSimulator();
    const id = firstOrderId(sim, "#1001");
    const c = await gql(
      sim,
      token,
      `mutation($id: ID!) { orderCancel(orderId: $id, reason: STAFF, restock: false) { job { id done } jobResult { id done status } orderCancelUserErrors { code message } } }`,
      { id },
    );
    const answer = c.body.data!.orderCancel;
    expect(answer.job.done).toBe(false);
    expect(answer.jobResult).toMatchObject({ done: false, status: "STARTED" });
    const j = await gql(sim, token, `query($id: ID!) { job(id: $id) { done } }`, {
      id: answer.job.id,
    });
    expect(j.body.data!.job).toEqual({ done: true });
    const r = await gql(
      sim,
      token,
      `query($id: ID!, $o: ID!) { node(id: $id) { ... on OrderCancelJobResult { done status errors { message } } } order(id: $o) { cancelledAt cancelReason } }`,
      { id: answer.jobResult.id, o: id },
    );
    expect(r.body.data!.node).toEqual({ done: true, status: "SUCCEEDED", errors: [] });
    expect(r.body.data!.order.cancelReason).toBe("STAFF");
    expect(r.body.data!.order.cancelledAt).not.toBeNull();
  });

  // orderCancel's refundMethod (OrderCancelRefundMethodInput @oneOf): originalPaymentMethodsRefund
  // or storeCreditRefund; OrderCancelUserErrorCode STORE_CREDIT_REFUND_MISSING_CUSTOMER.
  it("refunds a cancelled paid order as store credit to its customer, and refuses store credit without a customer (orderCancel refundMethod)", async () => {
    const { sim, token, shop } = testSimulator();
    const id = firstOrderId(sim, "#1001");
    const c = await gql(
      sim,
      token,
      `mutation($id: ID!) { orderCancel(orderId: $id, reason: CUSTOMER, refundMethod: { storeCreditRefund: {} }, restock: true) { job { id } orderCancelUserErrors { code message } } }`,
      { id },
    );
    expect(c.body.data!.orderCancel.orderCancelUserErrors).toEqual([]);
    await gql(sim, token, `query($id: ID!) { job(id: $id) { done } }`, {
      id: c.body.data!.orderCancel.job.id,
    });
    const s = await gql(
      sim,
      token,
      `query($id: ID!) { order(id: $id) { displayFinancialStatus transactions(first: 5) { kind status gateway } } }`,
      { id },
    );
    expect(s.body.data!.order.displayFinancialStatus).toBe("REFUNDED");
    expect(s.body.data!.order.transactions).toContainEqual({
      kind: "REFUND",
      status: "SUCCESS",
      gateway: "shopify_store_credit",
    });

    const anonymous = createOrder(sim.state, shop, {
      lineItems: [{ sku: "PRINT-MATTE-A4", quantity: 1 }],
      payment: "paid",
    });
    if (!anonymous.ok) throw new Error("order");
    // A guest sale (a POS order without a customer); checkout always attaches one.
    anonymous.value.customerId = null;
    const refused = await gql(
      sim,
      token,
      `mutation($id: ID!) { orderCancel(orderId: $id, reason: CUSTOMER, refundMethod: { storeCreditRefund: {} }, restock: true) { job { id } orderCancelUserErrors { code field } } }`,
      { id: gid("Order", anonymous.value.id) },
    );
    expect(refused.body.data!.orderCancel).toEqual({
      job: null,
      orderCancelUserErrors: [
        {
          code: "STORE_CREDIT_REFUND_MISSING_CUSTOMER",
          field: ["refundMethod", "storeCreditRefund"],
        },
      ],
    });
  });

  // orderCancel's restock: "restocking inventory"; inventory returns to the location each
  // fulfillment order was assigned to (Shopify's order cancellation help: restock items).
  it("restocks each line at the location its fulfillment order was assigned to (orderCancel restock)", async () => {
    const { sim, token, shop } = testSimulator();
    const mixed = createOrder(sim.state, shop, {
      email: "mix@example.com",
      lineItems: [
        { sku: "PRINT-MATTE-A4", quantity: 1 },
        { sku: "CANVAS-40x60-WRAP", quantity: 1 },
      ],
      payment: "paid",
    });
    if (!mixed.ok) throw new Error("order");
    const items = [...shop.variants.values()]
      .filter((v) => v.sku === "PRINT-MATTE-A4" || v.sku === "CANVAS-40x60-WRAP")
      .map((v) => v.inventoryItemId);
    const levels = () =>
      [...shop.inventory.values()]
        .filter((l) => items.includes(l.inventoryItemId) && l.committed > 0)
        .map((l) => ({ at: shop.locations.get(l.locationId)!.name, committed: l.committed }));
    const before = levels();
    expect(before.map((l) => l.at).sort()).toEqual(["Partner Lab", "Studio"]);
    const c = await gql(
      sim,
      token,
      `mutation($id: ID!) { orderCancel(orderId: $id, reason: INVENTORY, restock: true) { job { id } orderCancelUserErrors { message } } }`,
      { id: gid("Order", mixed.value.id) },
    );
    await gql(sim, token, `query($id: ID!) { job(id: $id) { done } }`, {
      id: c.body.data!.orderCancel.job.id,
    });
    const after = new Map(levels().map((l) => [l.at, l.committed]));
    for (const l of before) expect(after.get(l.at) ?? 0).toBeLessThan(l.committed);
  });

  it("creates a draft order and sends its invoice (draftOrderCreate, draftOrderInvoiceSend)", async () => {
    const { sim, token, shop } = testSimulator();
    const variant = [...shop.variants.values()].find((v) => v.sku === "CANVAS-40x60-WRAP")!;
    const d = await gql(
      sim,
      token,
      `mutation($i: DraftOrderInput!) { draftOrderCreate(input: $i) { draftOrder { id name status totalPriceSet { shopMoney { amount } } lineItems(first: 5) { nodes { sku quantity custom } } } userErrors { field message } } }`,
      {
        i: {
          lineItems: [
            { variantId: `gid://shopify/ProductVariant/${variant.id}`, quantity: 1 },
            {
              title: "Reprint fee",
              quantity: 1,
              originalUnitPriceWithCurrency: { amount: "5.00", currencyCode: "EUR" },
            },
          ],
          email: "mia@example.com",
        },
      },
    );
    const draft = d.body.data!.draftOrderCreate.draftOrder;
    expect(draft).toMatchObject({
      name: "#D1",
      status: "OPEN",
      totalPriceSet: { shopMoney: { amount: "94.00" } },
    });
    const sent = await gql(
      sim,
      token,
      `mutation($id: ID!) { draftOrderInvoiceSend(id: $id, email: { customMessage: "Your reprint" }) { draftOrder { status invoiceSentAt } userErrors { message } } }`,
      { id: draft.id },
    );
    expect(sent.body.data!.draftOrderInvoiceSend.draftOrder.status).toBe("INVOICE_SENT");
    const bad = await gql(
      sim,
      token,
      `mutation($i: DraftOrderInput!) { draftOrderCreate(input: $i) { draftOrder { id } userErrors { field message } } }`,
      { i: { lineItems: [{ variantId: "gid://shopify/ProductVariant/1", quantity: 1 }] } },
    );
    expect(bad.body.data!.draftOrderCreate.userErrors[0].field).toEqual([
      "lineItems",
      "0",
      "variantId",
    ]);
  });
  it("refuses a draft order whose e-mail is malformed or on a domain it does not accept (draftOrderCreate userErrors; Shopify/shopify-app-js#2850)", async () => {
    // Shopify answered draftOrderCreate with "Email contains an invalid domain name" for a
    // customer's e-mail it would not accept on a draft; the simulator refuses the reserved
    // top-level domain `.invalid` so, and a malformed address as orderUpdate does. Nothing is made.
    const { sim, token, shop } = testSimulator();
    const drafts = shop.draftOrders.size;
    const create = (email: string) =>
      gql(
        sim,
        token,
        `mutation($i: DraftOrderInput!) { draftOrderCreate(input: $i) { draftOrder { id } userErrors { field message } } }`,
        {
          i: {
            email,
            lineItems: [
              {
                title: "Extra shipping",
                quantity: 1,
                originalUnitPriceWithCurrency: { amount: "4.00", currencyCode: "EUR" },
              },
            ],
          },
        },
      );
    const refused = await create("ann@lab.invalid");
    expect(refused.body.data!.draftOrderCreate).toEqual({
      draftOrder: null,
      userErrors: [{ field: ["email"], message: "Email contains an invalid domain name" }],
    });
    expect((await create("ann")).body.data!.draftOrderCreate.userErrors).toEqual([
      { field: ["email"], message: "Email is invalid" },
    ]);
    expect(shop.draftOrders.size).toBe(drafts);
    expect((await create("ann@example.com")).body.data!.draftOrderCreate.userErrors).toEqual([]);
  });
  it("lists draft orders by tag and status, newest first, with their custom attributes (QueryRoot.draftOrders query filters tag and status, sortKey ID, reverse, Admin API 2026-10)", async () => {
    // draftOrders' `query` filters include `tag` and `status` (with default, created_at, id,
    // updated_at…); sortKey ID with reverse: true lists the newest first.
    const { sim, token } = testSimulator();
    const create = (tags: string[], marker: string) =>
      gql(
        sim,
        token,
        `mutation($i: DraftOrderInput!) { draftOrderCreate(input: $i) { draftOrder { id } userErrors { message } } }`,
        {
          i: {
            lineItems: [
              {
                title: "Reprint",
                quantity: 1,
                originalUnitPriceWithCurrency: { amount: "1.00", currencyCode: "EUR" },
              },
            ],
            tags,
            customAttributes: [{ key: "_remake", value: marker }],
          },
        },
      );
    await create(["remake"], "a");
    await create(["other"], "b");
    await create(["remake"], "c");
    const listed = await gql(
      sim,
      token,
      `query($q: String!) { draftOrders(first: 5, query: $q, sortKey: ID, reverse: true) { nodes { status tags customAttributes { key value } } } }`,
      { q: "tag:remake status:open" },
    );
    expect(
      listed.body.data!.draftOrders.nodes.map(
        (d: { customAttributes: { value: string }[] }) => d.customAttributes[0]!.value,
      ),
    ).toEqual(["c", "a"]);
  });
  it("e-mails the invoice with the merchant's custom message to the draft's customer (draftOrderInvoiceSend, EmailInput.customMessage, Admin API 2026-10)", async () => {
    // draftOrderInvoiceSend: "Sends an invoice email for a DraftOrder … Use the email argument to
    // customize the email, such as the subject and message"; EmailInput.customMessage: "Specifies
    // a custom message to include in the email". Without `to` it goes to the draft's e-mail.
    const { sim, token } = testSimulator();
    const created = await gql(
      sim,
      token,
      `mutation($i: DraftOrderInput!) { draftOrderCreate(input: $i) { draftOrder { id name } userErrors { message } } }`,
      {
        i: {
          lineItems: [
            {
              title: "Size change to A3",
              quantity: 1,
              originalUnitPriceWithCurrency: { amount: "12.50", currencyCode: "EUR" },
            },
          ],
          email: "ann@example.com",
        },
      },
    );
    const draft = created.body.data!.draftOrderCreate.draftOrder;
    const send = (email: unknown) =>
      gql(
        sim,
        token,
        `mutation($id: ID!, $email: EmailInput) { draftOrderInvoiceSend(id: $id, email: $email) { draftOrder { status invoiceSentAt invoiceEmailTemplateSubject } userErrors { field message } } }`,
        { id: draft.id, email },
      );
    const sent = await send({ customMessage: "Your A3 print needs a larger frame." });
    expect(sent.body.data!.draftOrderInvoiceSend).toMatchObject({
      draftOrder: { status: "INVOICE_SENT", invoiceEmailTemplateSubject: "Complete your purchase" },
      userErrors: [],
    });
    await send(null);
    const state = await sim.app.request(`/_sim/draft-orders/${encodeURIComponent(draft.id)}`);
    const emails = ((await state.json()) as Loose).invoiceEmails;
    expect(emails).toEqual([
      {
        sentAt: expect.any(String),
        to: "ann@example.com",
        from: null,
        bcc: [],
        subject: "Complete your purchase",
        customMessage: "Your A3 print needs a larger frame.",
      },
      expect.objectContaining({ to: "ann@example.com", customMessage: null }),
    ]);
  });
  it("completes a draft order into a regular order, marked as paid and routed like any order (draftOrderComplete, Admin API 2026-10)", async () => {
    // draftOrderComplete's description: "Completes a draft order and converts it into a regular
    // order"; without paymentPending the order is marked as paid; "inventory is reserved".
    const { sim, token, shop } = testSimulator();
    const studio = [...shop.locations.values()].find((l) => l.name === "Studio")!;
    const variant = [...shop.variants.values()].find((v) => v.sku === "PRINT-MATTE-A4")!;
    const level = () => shop.inventory.get(`${variant.inventoryItemId}:${studio.id}`)!.committed;
    const committed = level();
    const topics: string[] = [];
    sim.state.onEvent((e) => topics.push(e.event.topic));
    const created = await gql(
      sim,
      token,
      `mutation($i: DraftOrderInput!) { draftOrderCreate(input: $i) { draftOrder { id } userErrors { message } } }`,
      {
        i: {
          lineItems: [
            {
              variantId: `gid://shopify/ProductVariant/${variant.id}`,
              quantity: 2,
              priceOverride: { amount: "0.00", currencyCode: "EUR" },
              customAttributes: [{ key: "Crop", value: "10,10,90,90" }],
            },
          ],
          email: "mia@example.com",
          note: "Remake of #1001",
          tags: ["remake"],
        },
      },
    );
    const draftId = created.body.data!.draftOrderCreate.draftOrder.id;
    const COMPLETE = `mutation($id: ID!) { draftOrderComplete(id: $id) { draftOrder { id status completedAt order { id name note tags displayFinancialStatus sourceName totalPriceSet { shopMoney { amount } } lineItems(first: 5) { nodes { sku quantity customAttributes { key value } } } fulfillmentOrders(first: 5) { nodes { status assignedLocation { name } } } } } userErrors { field message } } }`;
    const done = await gql(sim, token, COMPLETE, { id: draftId });
    const draft = done.body.data!.draftOrderComplete.draftOrder;
    expect(done.body.data!.draftOrderComplete.userErrors).toEqual([]);
    expect(draft.status).toBe("COMPLETED");
    expect(draft.completedAt).not.toBeNull();
    expect(draft.order).toMatchObject({
      note: "Remake of #1001",
      tags: ["remake"],
      displayFinancialStatus: "PAID",
      sourceName: "shopify_draft_order",
      totalPriceSet: { shopMoney: { amount: "0.00" } },
      lineItems: {
        nodes: [
          {
            sku: "PRINT-MATTE-A4",
            quantity: 2,
            customAttributes: [{ key: "Crop", value: "10,10,90,90" }],
          },
        ],
      },
      fulfillmentOrders: { nodes: [{ status: "OPEN", assignedLocation: { name: "Studio" } }] },
    });
    expect(level()).toBe(committed + 2);
    expect(topics).toEqual(expect.arrayContaining(["orders/create", "orders/paid"]));

    const again = await gql(sim, token, COMPLETE, { id: draftId });
    expect(again.body.data!.draftOrderComplete).toEqual({
      draftOrder: null,
      userErrors: [{ field: ["id"], message: "This draft order has already been completed" }],
    });
  });
});
