// A partner lab added to the shop as Shopify adds one: the lab's own app, installed on the shop,
// creates its fulfillment service (fulfillmentServiceCreate makes the location, named after it) and
// stocks what it makes there (inventoryActivate).
import type { Db } from "~/db/client.server";
import type { SimulatorHandle } from "./shop-simulator";

/** Adds the lab, with `available` of the SKU in stock there; answers its location's id. */
export async function addPartnerLab(
  sim: SimulatorHandle,
  lab: { name: string; sku: string; available: number },
): Promise<string> {
  const handle = lab.name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const { accessToken } = await sim.control<{ accessToken: string }>(
    "POST",
    "/_sim/service-tokens",
    { shop: sim.shop, handle, install: true },
  );
  const asTheLab = async <T>(query: string, variables: object): Promise<T> => {
    const response = await fetch(`${sim.url}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": accessToken },
      body: JSON.stringify({ query, variables }),
    });
    return ((await response.json()) as { data: T }).data;
  };
  const created = await asTheLab<{
    fulfillmentServiceCreate: { fulfillmentService: { location: { id: string } } };
  }>(
    `mutation($name: String!) { fulfillmentServiceCreate(name: $name, inventoryManagement: true) { fulfillmentService { location { id } } userErrors { message } } }`,
    { name: lab.name },
  );
  const locationId = created.fulfillmentServiceCreate.fulfillmentService.location.id;
  const catalogue = await sim.control<{
    products: { variants: { sku: string; inventoryItemId: string }[] }[];
  }>("GET", `/_sim/products?shop=${sim.shop}`);
  const item = catalogue.products.flatMap((p) => p.variants).find((v) => v.sku === lab.sku)!;
  await asTheLab(
    `mutation($item: ID!, $location: ID!, $available: Int!, $key: String!) { inventoryActivate(inventoryItemId: $item, locationId: $location, available: $available) @idempotent(key: $key) { userErrors { message } } }`,
    {
      item: item.inventoryItemId,
      location: locationId,
      available: lab.available,
      key: `${handle}-stock`,
    },
  );
  return locationId;
}

/**
 * A print Shopify sends to the demo shop's Partner Lab, which the merchant records the lab said it
 * shipped while Shopify shows it unfulfilled: drift the next stuck-and-drift pass finds.
 */
export async function shippedByTheLab(
  sim: SimulatorHandle,
  db: Db,
): Promise<{ orderId: string; name: string; fulfillmentOrderId: string }> {
  // Imported when called: the app reads its environment on first import, after a suite sets it.
  const { recordLabReport } = await import("~/fulfilment/drift.server");
  const order = await sim.createOrder({
    lineItems: [{ sku: "PRINT-LUSTRE-A3", quantity: 1 }],
    payment: "paid",
  });
  const state = await sim.orderState(order.orderId);
  const fo = state.fulfillmentOrders.find((f) => f.location.name === "Partner Lab")!;
  await recordLabReport(
    { db, gateway: sim.gateway, now: () => new Date() },
    sim.shop,
    { fulfillmentOrderId: fo.id, status: "shipped" },
    null,
  );
  return { orderId: order.orderId, name: order.name, fulfillmentOrderId: fo.id };
}
