// The router's catalogue against the shop simulator: what the rules read of a line's product and
// variant is asked of Shopify once per inventory item, not on every order's read, and asked again
// once Shopify says the product changed (products/update, through the app's webhook intake and the
// worker), so a rule on the product's type decides on the type the merchant just gave it; a deleted
// product (products/delete) is forgotten at once.
import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { processInbox } from "~/fulfilment/worker.server";
import { routeOrder } from "~/fulfilment/route-order.server";
import { catalogueOf } from "~/shopify/catalogue.server";
import { readOrder, toOrderSnapshot } from "~/shopify/snapshot.server";
import { intakeWebhook } from "~/webhooks/intake.server";
import { signedDelivery } from "../support/webhooks";
import { withWorkerSuite } from "../support/worker-suite";

const { sim, deps: workerDeps } = withWorkerSuite({
  shop: { defaultMode: "manual" },
  rules: [
    {
      id: "rule-review-lab-prints",
      name: "Lab prints wait for a look at the crop",
      conditions: [{ field: "product_type", operator: "equals", value: "Lab Print" }],
      actions: [{ type: "hold_for_review" }],
    },
  ],
});

const SKU = "LAB-METALLIC-30x45";

const operations = async () =>
  (
    await sim.control<{
      shops: Record<string, { operations: Record<string, { calls: number; pointsSpent: number }> }>;
    }>("GET", "/_sim/stats")
  ).shops[sim.shop]?.operations ?? {};

/** Routes a new paid order of the lab print; answers whether the rule held it for review. */
async function routeLabPrint(): Promise<boolean> {
  const { orderId } = await sim.createOrder({
    lineItems: [{ sku: SKU, quantity: 1 }],
    payment: "paid",
  });
  await routeOrder(
    { db, gateway: sim.gateway, now: () => new Date() },
    { shop: sim.shop, orderId, trigger: "webhook" },
  );
  const state = await sim.orderState(orderId);
  return state.fulfillmentOrders.some((fo) => fo.holds.length > 0);
}

describe("the router's catalogue", () => {
  it("asks Shopify for an item's product and variant once, then routes the next orders of it on what it kept", async () => {
    expect(await routeLabPrint()).toBe(true);
    expect((await operations()).CatalogueItems?.calls).toBe(1);
    expect(await routeLabPrint()).toBe(true);
    expect(await routeLabPrint()).toBe(true);
    expect((await operations()).CatalogueItems?.calls).toBe(1);
  });

  it("asks Shopify for an item once when several orders of it are routed at once (a burst's first orders), and each is held as the rule says", async () => {
    const held = await Promise.all([routeLabPrint(), routeLabPrint(), routeLabPrint()]);
    expect(held).toEqual([true, true, true]);
    expect((await operations()).CatalogueItems?.calls).toBe(1);
  });

  it("takes each item an order needs from the read that is bringing it, whichever of those reads Shopify answers first", async () => {
    const { products } = await sim.control<{
      products: { variants: { sku: string; inventoryItemId: string }[] }[];
    }>("GET", `/_sim/products?shop=${sim.shop}`);
    const item = (sku: string) =>
      products.flatMap((p) => p.variants).find((v) => v.sku === sku)!.inventoryItemId;
    const [lab, lustre] = [item(SKU), item("PRINT-LUSTRE-A4")];
    // Shopify answers each item's read when the test lets it.
    const answers = new Map<string, () => void>();
    const asked = new Set<string>();
    const gateway = {
      shop: sim.gateway.shop,
      async request<T, V extends Record<string, unknown>>(document: string, variables?: V) {
        const [id] = (variables as { ids?: string[] } | undefined)?.ids ?? [];
        if (id) {
          asked.add(id);
          await new Promise<void>((resolve) => answers.set(id, resolve));
        }
        return sim.gateway.request<T, V>(document, variables);
      },
    };
    const until = async (done: () => boolean) => {
      while (!done()) await new Promise((resolve) => setTimeout(resolve, 5));
    };
    const first = catalogueOf({ db, gateway }, [lab]);
    const second = catalogueOf({ db, gateway }, [lustre]);
    await until(() => asked.size === 2);
    // A third order needs both while both are on their way; the lustre print's read is answered
    // first, while it waits for the lab print's.
    const third = catalogueOf({ db, gateway }, [lab, lustre]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    answers.get(lustre)!();
    await second;
    answers.get(lab)!();
    await first;
    const both = await third;
    expect([...both.keys()].sort()).toEqual([lab, lustre].sort());
    expect(both.get(lustre)?.product.productType).toBe("Print");
    expect(both.get(lab)?.product.productType).toBe("Lab Print");
    expect((await operations()).CatalogueItems?.calls).toBe(2);
  });

  it("gives the router's read the lines' products and options Shopify would have given", async () => {
    const { orderId } = await sim.createOrder({
      lineItems: [
        { sku: SKU, quantity: 1 },
        { sku: "PRINT-LUSTRE-A4", quantity: 2 },
        { sku: "CANVAS-60x90-WRAP", quantity: 1 },
      ],
      payment: "paid",
    });
    const asked = toOrderSnapshot(await readOrder(sim.gateway, orderId))!;
    for (let i = 0; i < 2; i++) {
      const kept = toOrderSnapshot(
        await readOrder(sim.gateway, orderId, {
          linesOnFulfillmentOrders: true,
          catalogue: (ids) => catalogueOf({ db, gateway: sim.gateway }, ids),
        }),
      )!;
      expect(kept).toEqual(asked);
      expect(kept.lineItems.every((l) => l.productType && l.variantOptions.length > 0)).toBe(true);
    }
    expect((await operations()).CatalogueItems?.calls).toBe(1);
  });

  it("asks again once Shopify says the product changed, and decides on its new type", async () => {
    expect(await routeLabPrint()).toBe(true);
    const products = await sim.control<{
      products: { id: string; productType: string; variants: { sku: string }[] }[];
    }>("GET", `/_sim/products?shop=${sim.shop}`);
    const product = products.products.find((p) => p.variants.some((v) => v.sku === SKU))!;
    expect(product.productType).toBe("Lab Print");

    // The merchant makes it a plain print in Shopify admin: products/update reaches the app.
    await sim.control("POST", `/_sim/products/${encodeURIComponent(product.id)}`, {
      shop: sim.shop,
      productType: "Print",
    });
    await sim.webhooksDelivered();
    const deps = await workerDeps();
    while ((await processInbox(deps)) > 0);
    expect(await db.catalogueItem.count({ where: { productId: product.id } })).toBe(0);

    expect(await routeLabPrint()).toBe(false);
    expect((await operations()).CatalogueItems?.calls).toBe(2);
  });

  it("forgets a product the merchant deletes at once (products/delete), not an hour later", async () => {
    expect(await routeLabPrint()).toBe(true);
    const products = await sim.control<{
      products: { id: string; variants: { sku: string }[] }[];
    }>("GET", `/_sim/products?shop=${sim.shop}`);
    const product = products.products.find((p) => p.variants.some((v) => v.sku === SKU))!;
    const other = products.products.find((p) => p.id !== product.id)!;
    // Another product's item, kept as well: the deletion forgets only its own product's.
    await db.catalogueItem.create({
      data: {
        shop: sim.shop,
        inventoryItemId: "gid://shopify/InventoryItem/424242",
        variantId: "gid://shopify/ProductVariant/424242",
        productId: other.id,
        productType: "Print",
        productTags: "[]",
        options: "[]",
        readAt: new Date(),
      },
    });
    expect(await db.catalogueItem.count({ where: { productId: product.id } })).toBe(1);

    // The merchant deletes the product in Shopify admin: products/delete reaches the app.
    await sim.control("DELETE", `/_sim/products/${encodeURIComponent(product.id)}`, {
      shop: sim.shop,
    });
    await sim.webhooksDelivered();
    const stored = await db.webhookDelivery.findFirstOrThrow({
      where: { shop: sim.shop, topic: "products/delete" },
    });
    expect(JSON.parse(stored.payload)).toEqual({ id: Number(product.id.split("/").pop()) });
    const deps = await workerDeps();
    while ((await processInbox(deps)) > 0);
    expect(await db.catalogueItem.count({ where: { productId: product.id } })).toBe(0);
    expect(await db.catalogueItem.count({ where: { productId: other.id } })).toBe(1);
  });

  it("forgets a deleted product whose id passes 2^53 by the id as Shopify signed it, not JSON's rounding of it", async () => {
    // Shopify's example product id: JSON.parse reads it as 788032119674292900.
    const exact = "gid://shopify/Product/788032119674292922";
    const rounded = "gid://shopify/Product/788032119674292900";
    for (const [n, productId] of [exact, rounded].entries())
      await db.catalogueItem.create({
        data: {
          shop: sim.shop,
          inventoryItemId: `gid://shopify/InventoryItem/5151${n}`,
          variantId: `gid://shopify/ProductVariant/5151${n}`,
          productId,
          productType: "Print",
          productTags: "[]",
          options: "[]",
          readAt: new Date(),
        },
      });
    const response = await intakeWebhook(
      signedDelivery({
        topic: "products/delete",
        shop: sim.shop,
        body: '{"id":788032119674292922}',
      }),
    );
    expect(response.status).toBe(200);
    const deps = await workerDeps();
    while ((await processInbox(deps)) > 0);
    expect(await db.catalogueItem.count({ where: { productId: exact } })).toBe(0);
    expect(await db.catalogueItem.count({ where: { productId: rounded } })).toBe(1);
  });
});
