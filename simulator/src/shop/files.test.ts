// The demo's prints carry what a photo-upload app leaves on a line item, and the files it links are
// served. Follows Shopify's "Line item properties" (Liquid `line_item.properties`, Admin API
// `LineItem.customAttributes`: name/value pairs from the cart, names starting with "_" hidden from
// the customer at checkout but kept on the order) and Shopify's file URLs on the shop's domain
// (`/cdn/shop/files/<name>`, as admin's Files list gives them).
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_SHOP } from "../seed/demo.ts";
import { createSimulator } from "../server.ts";

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

describe("the demo's uploaded photos and print files", () => {
  it("link each print's photo and print file on the simulator's origin, and serve them as images", async () => {
    const sim = createSimulator({ subscriptions: [], seed: "empty" });
    const { url, stop } = await sim.start(0);
    stops.push(stop);
    // Seeded after listening: the links follow the port start() got.
    sim.reset("demo");
    const token = sim.mintToken(DEMO_SHOP);
    const res = await fetch(`${url}/admin/api/2026-10/graphql.json`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": token },
      body: JSON.stringify({
        query:
          "{ orders(first: 1, sortKey: CREATED_AT) { nodes { lineItems(first: 5) { nodes { customAttributes { key value } } } } } }",
      }),
    });
    const body = (await res.json()) as {
      data: {
        orders: {
          nodes: {
            lineItems: { nodes: { customAttributes: { key: string; value: string }[] }[] };
          }[];
        };
      };
    };
    const attributes = Object.fromEntries(
      body.data.orders.nodes[0]!.lineItems.nodes[0]!.customAttributes.map((a) => [a.key, a.value]),
    );
    expect(attributes).toEqual({
      Image: "IMG_2041.jpg",
      Crop: "x:0.10 y:0.05 w:0.80 h:0.90",
      _image_url: `${url}/cdn/shop/files/IMG_2041.jpg`,
      _print_file: `${url}/cdn/shop/files/IMG_2041-print.jpg`,
    });

    for (const link of [attributes._image_url!, attributes._print_file!]) {
      const file = await fetch(link);
      expect(file.status).toBe(200);
      expect(file.headers.get("content-type")).toBe("image/png");
      const bytes = Buffer.from(await file.arrayBuffer());
      expect(bytes.subarray(1, 4).toString("ascii")).toBe("PNG");
      // IHDR: a 600×400 picture, big enough to draw a crop over.
      expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([600, 400]);
    }
    expect((await fetch(`${url}/cdn/shop/files/notes.txt`)).status).toBe(404);
    // A bound against a hang (building the Admin schema is slow on a busy machine), not a measure.
  }, 90_000);

  it("link to the origin it is reached at when told (SIM_HOST:SIM_PORT), before listening", () => {
    const sim = createSimulator({ subscriptions: [], publicUrl: "http://127.0.0.1:8787" });
    const order = [...sim.state.shops.get(DEMO_SHOP)!.orders.values()][0]!;
    expect(order.lineItems[0]!.properties).toContainEqual({
      name: "_image_url",
      value: "http://127.0.0.1:8787/cdn/shop/files/IMG_2041.jpg",
    });
  });
});
