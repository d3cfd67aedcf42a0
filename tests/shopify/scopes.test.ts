// The access scopes in shopify.app.toml cover every operation the app sends and every webhook it subscribes to, and no more.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAppToml, readAppToml, type AppToml } from "./support/app-toml";
import {
  EXECUTOR_DOCUMENTS,
  collectDocuments,
  inlineDocument,
  type CollectedDocument,
} from "./support/collect-documents";
import { SHOPIFY_FIXTURES_DIR, fromRoot } from "./support/paths";
import {
  grants,
  parseRequiredAccess,
  type ReviewedAccess,
  type ScopeRequirement,
} from "./support/required-access";
import { adminAccessIndex, adminSchema } from "./support/schema";
import {
  documentNeeds,
  findShortfalls,
  formatShortfall,
  leastPrivilegeFindings,
  readableRequirements,
} from "./support/scope-check";
import { webhookTopicRequirement } from "./support/webhook-topics";

/**
 * requiredAccess texts the parser will not read (it marks them unreadable rather than guess), read
 * by a person instead. Key: schema coordinate ("Type" or "Type.field"). Add one only for a
 * coordinate the app really uses, and say what the text means.
 */
const REVIEWED_ACCESS = new Map<string, ReviewedAccess>([
  [
    "FulfillmentService",
    {
      allOf: [["read_fulfillments", "read_products", "read_custom_fulfillment_services"]],
      reason:
        "'one of the following: `fulfillments`, `products` or `custom_fulfillment_services`' names scope families; " +
        "reading a location's service needs the read scope of any one of them.",
    },
  ],
  [
    "Mutation.orderUpdate",
    {
      allOf: [["write_orders", "write_marketplace_orders", "write_quick_sale"]],
      reason:
        "The 'Also:' sentence applies only when assigning the event to another POS staff member, which the " +
        "app never does; the note update needs write_orders.",
    },
  ],
  [
    "Mutation.refundCreate",
    {
      allOf: [["write_orders", "write_marketplace_orders", "write_buyer_membership_orders"]],
      reason:
        "'`orders` access scope, `marketplace_orders` … or `buyer_membership_orders` …' names scope families " +
        "without read or write; a refund changes the order, so it needs the write scope of any one of them.",
    },
  ],
]);

/**
 * Scopes declared for reasons the any-of arithmetic cannot see. Each needs a reason a reviewer can check.
 */
const ALLOWED_WITHOUT_A_DOCUMENT: Record<string, string> = {
  write_third_party_fulfillment_orders:
    "requiredAccess says 'merchant-managed or third-party', but the scope also decides which fulfillment orders " +
    "the app sees: orders assigned to the lab or 3PL (a fulfillment service) are invisible and immutable without it.",
};

const fixtureDocuments = (folder: string) =>
  collectDocuments({ dirs: [`${SHOPIFY_FIXTURES_DIR}/${folder}`], include: () => true });

const executorDocuments = () =>
  collectDocuments().filter((document) => EXECUTOR_DOCUMENTS.has(document.name));

const fixtureToml = (): AppToml => {
  const file = `${SHOPIFY_FIXTURES_DIR}/shopify.app.toml`;
  return parseAppToml(readFileSync(fromRoot(file), "utf8"), file);
};

function shortfallsFor(
  documents: readonly CollectedDocument[],
  scopes: readonly string[],
): string[] {
  const needs = documentNeeds(documents, adminSchema(), adminAccessIndex(), REVIEWED_ACCESS);
  return findShortfalls(needs, new Set(scopes)).map(formatShortfall);
}

function topicProblems(toml: AppToml): string[] {
  const declared = new Set(toml.scopes);
  return toml.subscriptions.flatMap((subscription) =>
    [...subscription.topics, ...subscription.complianceTopics].flatMap((topic) => {
      const requirement = webhookTopicRequirement(topic);
      if (!requirement) {
        return [
          `${toml.file}:${subscription.line} ${topic}: no metadata in tests/fixtures/shopify/webhooks/${topic}.json`,
        ];
      }
      const missing = requirement.filter(
        (group) => !group.some((scope) => grants(declared, scope)),
      );
      return missing.map(
        (group) => `${toml.file}:${subscription.line} ${topic}: needs any of ${group.join(", ")}`,
      );
    }),
  );
}

function webhookRequirements(toml: AppToml): ScopeRequirement[] {
  return toml.subscriptions.flatMap((subscription) =>
    [...subscription.topics, ...subscription.complianceTopics].map(
      (topic) => webhookTopicRequirement(topic) ?? [],
    ),
  );
}

function leastPrivilege(toml: AppToml, documents: readonly CollectedDocument[]): string[] {
  const needs = documentNeeds(documents, adminSchema(), adminAccessIndex(), REVIEWED_ACCESS);
  const requirements = [...readableRequirements(needs), ...webhookRequirements(toml)];
  return leastPrivilegeFindings(
    toml.scopes,
    requirements,
    new Set(Object.keys(ALLOWED_WITHOUT_A_DOCUMENT)),
  ).map((finding) => `${toml.file}: ${finding.message}`);
}

describe("shopify.app.toml", () => {
  // Read inside each test so that a missing file fails these tests with its message, not the whole file.
  const appDocuments = collectDocuments();

  it(`declares scopes covering every field of the app's ${appDocuments.length} documents`, () => {
    const toml = readAppToml();
    const shortfalls = shortfallsFor(appDocuments, toml.scopes);
    expect(shortfalls, `declared: ${toml.scopes.join(", ")}\n${shortfalls.join("\n")}`).toEqual([]);
  });

  it("declares scopes covering every webhook topic it subscribes to", () => {
    const problems = topicProblems(readAppToml());
    expect(problems, problems.join("\n")).toEqual([]);
  });

  it("declares no scope that no document or subscription needs, unless allowed with a reason", () => {
    const findings = leastPrivilege(readAppToml(), appDocuments);
    expect(findings, findings.join("\n")).toEqual([]);
  });
});

describe("the scope check itself", () => {
  const index = adminAccessIndex();
  const realText = (coordinate: string): string => {
    const text = index.byCoordinate.get(coordinate);
    if (text === undefined)
      throw new Error(`no requiredAccess for ${coordinate} in the 2026-10 introspection`);
    return text;
  };

  it("reads an 'or' list (Order)", () => {
    expect(parseRequiredAccess(realText("Order"))).toEqual({
      allOf: [["read_orders", "read_marketplace_orders", "read_quick_sale"]],
      notes: [],
      unreadable: [],
    });
  });

  it("reads 'Also:' as a user permission that is noted, not checked (orderCapture)", () => {
    expect(parseRequiredAccess(realText("Mutation.orderCapture"))).toEqual({
      allOf: [["write_orders", "write_marketplace_orders"]],
      notes: ["The user must have capture_payments_for_orders permission"],
      unreadable: [],
    });
  });

  it("reads 'Also: Requires the `x` access scope' as a second requirement (ReturnableFulfillment)", () => {
    expect(parseRequiredAccess(realText("ReturnableFulfillment")).allOf).toEqual([
      ["read_orders", "read_marketplace_orders"],
      ["read_returns"],
    ]);
    expect(parseRequiredAccess(realText("CustomerCreditCard")).allOf).toEqual([
      ["read_customers"],
      ["read_customer_payment_methods"],
    ]);
  });

  it("reads 'and (… or …)' and 'as well as any of' as conjunctions", () => {
    expect(parseRequiredAccess(realText("Fee")).allOf).toEqual([
      ["read_returns"],
      ["read_orders", "read_marketplace_orders"],
    ]);
    const join = parseRequiredAccess(realText("Mutation.productJoinSellingPlanGroups"));
    expect(join.allOf).toEqual([
      ["write_products"],
      ["write_own_subscription_contracts", "write_purchase_options"],
    ]);
    expect(join.notes).toHaveLength(1);
  });

  it("refuses to guess at texts outside its grammar", () => {
    for (const coordinate of [
      "ChannelsCondition",
      "Catalog",
      "DeliveryCondition",
      "Mutation.locationEdit",
    ]) {
      expect(parseRequiredAccess(realText(coordinate)).unreadable, coordinate).not.toEqual([]);
    }
  });

  it("never reads a text that names a scope as needing nothing, across the whole 2026-10 schema", () => {
    const silent = [...index.byCoordinate].filter(([, text]) => {
      const parsed = parseRequiredAccess(text);
      return (
        /`(?:read|write)_\w+`/.test(text) &&
        parsed.allOf.length === 0 &&
        parsed.unreadable.length === 0
      );
    });
    expect(silent.map(([coordinate]) => coordinate)).toEqual([]);
    // Most texts are plain lists; the unreadable ones are the exceptions, not the rule.
    const unreadable = [...index.byCoordinate.values()].filter(
      (text) => parseRequiredAccess(text).unreadable.length > 0,
    );
    expect(unreadable.length).toBeLessThan(index.byCoordinate.size / 5);
  });

  it("applies Shopify's rule that write_x grants read_x, and nothing else", () => {
    const declared = new Set(["write_orders", "unauthenticated_write_checkouts"]);
    expect(grants(declared, "read_orders")).toBe(true);
    expect(grants(declared, "write_orders")).toBe(true);
    expect(grants(new Set(["read_orders"]), "write_orders")).toBe(false);
    expect(grants(declared, "read_marketplace_orders")).toBe(false);
    expect(grants(declared, "unauthenticated_read_checkouts")).toBe(true);
  });

  it("the executor's documents are covered by the fixture app's scopes, webhooks too, with nothing to spare", () => {
    const toml = fixtureToml();
    const documents = executorDocuments();
    expect(documents).toHaveLength(EXECUTOR_DOCUMENTS.size);

    expect(shortfallsFor(documents, toml.scopes)).toEqual([]);
    expect(topicProblems(toml)).toEqual([]);
    expect(leastPrivilege(toml, documents)).toEqual([]);
  });

  it("refuses a document that needs a scope the app does not declare, naming document, path and alternatives", () => {
    // The order read names its customer, so the fixture app reads customers; this app does not.
    const shortfalls = shortfallsFor(
      fixtureDocuments("out-of-scope-documents"),
      fixtureToml().scopes.filter((scope) => scope !== "read_customers"),
    );

    expect(shortfalls).toEqual([
      "CUSTOMER_LIST_QUERY (tests/shopify/fixtures/out-of-scope-documents/customers.ts:3) at CustomerList › customers.nodes; " +
        "CustomerList › customers.nodes.id; CustomerList › customers.nodes.displayName: " +
        'Customer requires "`read_customers` access scope."\n  missing: any of read_customers',
      "CUSTOMER_BY_NODE_QUERY (tests/shopify/fixtures/out-of-scope-documents/customers.ts:15) at CustomerByNode › node.(on Customer).id: " +
        'Customer requires "`read_customers` access scope."\n  missing: any of read_customers',
    ]);
  });

  it("counts the type a field is selected on and the type it returns, not only the field's own text", () => {
    // Neither QueryRoot.order nor Order.id carries text of its own; the Order type does.
    const orderId = inlineDocument(
      "ORDER_ID",
      'query OrderId { order(id: "gid://shopify/Order/1") { id } }',
    );

    const needs = documentNeeds([orderId], adminSchema(), index)[0]?.needs ?? [];
    expect(needs.map((need) => `${need.coordinate} at ${need.path}`)).toEqual([
      "Order at OrderId › order",
      "Order at OrderId › order.id",
    ]);
    expect(shortfallsFor([orderId], ["read_locations"])).toEqual([
      'ORDER_ID (inline:1) at OrderId › order; OrderId › order.id: Order requires "`read_orders` access scope, ' +
        '`read_marketplace_orders` access scope or `read_quick_sale` access scope."\n' +
        "  missing: any of read_orders, read_marketplace_orders, read_quick_sale",
    ]);
  });

  it("treats an unreadable requirement as unmet until a person reviews it", () => {
    const catalogs = inlineDocument(
      "CATALOGS",
      "query Catalogs { catalogs(first: 1) { nodes { id } } }",
    );
    const [shortfall] = shortfallsFor([catalogs], ["write_products"]);
    expect(shortfall).toContain('unreadable: "products or product_listings read access scope"');

    const reviewed = new Map([
      ["Catalog", { allOf: [["read_products", "read_product_listings"]], reason: "test" }],
    ]);
    const needs = documentNeeds([catalogs], adminSchema(), index, reviewed);
    expect(findShortfalls(needs, new Set(["write_products"]))).toEqual([]);
  });

  it("flags a scope nothing needs, and a write scope where read would do", () => {
    const toml = fixtureToml();
    const documents = executorDocuments();
    const withExtra = { ...toml, scopes: [...toml.scopes, "read_themes"] };
    const readOnly = documents.filter((document) => document.name.includes("SNAPSHOT"));

    expect(leastPrivilege(withExtra, documents)).toEqual([
      `${toml.file}: read_themes is not needed: no document or webhook subscription needs it that the other declared scopes do not already cover`,
    ]);
    expect(leastPrivilege(toml, readOnly)).toEqual([
      `${toml.file}: write_merchant_managed_fulfillment_orders is broader than needed: read_merchant_managed_fulfillment_orders covers every use`,
      `${toml.file}: write_orders is broader than needed: read_orders covers every use`,
    ]);
  });

  it("reads the fixture toml: scopes, topics, compliance topics", () => {
    const toml = fixtureToml();
    expect(toml.scopes).toEqual([
      "write_merchant_managed_fulfillment_orders",
      "write_third_party_fulfillment_orders",
      "write_orders",
      "read_locations",
      "read_products",
      "read_customers",
    ]);
    expect(toml.subscriptions.flatMap((subscription) => subscription.topics)).toContain(
      "fulfillment_orders/split",
    );
    expect(toml.subscriptions.flatMap((subscription) => subscription.complianceTopics)).toEqual([
      "customers/data_request",
      "customers/redact",
      "shop/redact",
    ]);
  });

  it("knows each webhook topic's scopes from Shopify's topic metadata", () => {
    expect(webhookTopicRequirement("orders/paid")).toEqual([
      ["read_orders", "read_marketplace_orders"],
    ]);
    expect(webhookTopicRequirement("app/uninstalled")).toEqual([]);
    expect(webhookTopicRequirement("shop/redact")).toEqual([]);
    expect(webhookTopicRequirement("orders/no_such_topic")).toBeUndefined();
    expect(topicProblems({ ...fixtureToml(), scopes: ["read_locations"] })).toContain(
      `${SHOPIFY_FIXTURES_DIR}/shopify.app.toml:28 orders/paid: needs any of read_orders, read_marketplace_orders`,
    );
  });

  it("says clearly when shopify.app.toml is missing", () => {
    expect(() => readAppToml("tests/shopify/fixtures/no-such.toml")).toThrow(
      /no-such\.toml is missing at the repository root/,
    );
  });

  it("the introspection JSON describes the same schema as the committed SDL", () => {
    const schema = adminSchema();
    const sdlCoordinates = new Set<string>();
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith("__")) continue;
      sdlCoordinates.add(type.name);
      if ("getFields" in type)
        for (const field of Object.keys(type.getFields()))
          sdlCoordinates.add(`${type.name}.${field}`);
    }
    const onlyInSdl = [...sdlCoordinates].filter(
      (coordinate) => !index.coordinates.has(coordinate),
    );
    const onlyInJson = [...index.coordinates].filter(
      (coordinate) => !sdlCoordinates.has(coordinate),
    );
    expect({ onlyInSdl, onlyInJson }).toEqual({ onlyInSdl: [], onlyInJson: [] });
  });
});
