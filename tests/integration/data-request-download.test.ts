// A customer data request's download through the app's real authentication (a session token the
// simulator signs, token exchange against it): the report of this shop's request, and for a request
// that is not there (erased by customers/redact, mistyped, another shop's) a 404 in the admin's
// language, which the Data requests screen shows where the download would have been.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callRoute as call } from "../support/route-call";
import { startShopSimulator } from "../support/shop-simulator";

// The app reads its environment once, on first import: the simulator must be running first.
const sim = await startShopSimulator({ appUrl: process.env.SHOPIFY_APP_URL });
process.env.SHOPIFY_ADMIN_ORIGIN = sim.url;
process.env.WORKER = "off";

const { default: db } = await import("~/db.server");
const { translatorOf } = await import("~/i18n/i18next.server");
const downloadRoute = await import("~/routes/app.data-requests.$id[.]json");

const BROWSER =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36";

afterAll(async () => {
  await sim.stop();
});

async function download(id: string, locale: string): Promise<Response> {
  const { token } = await sim.control<{ token: string }>(
    "GET",
    `/_sim/session-token?shop=${sim.shop}`,
  );
  const path = `/app/data-requests/${id}.json?locale=${locale}`;
  return call(
    downloadRoute.loader,
    new Request(`${process.env.SHOPIFY_APP_URL}${path}`, {
      headers: { Authorization: `Bearer ${token}`, "User-Agent": BROWSER },
    }),
    { id },
  );
}

let ours: string;
let theirs: string;
beforeAll(async () => {
  const report = (customer: string) =>
    JSON.stringify({ customerId: customer, dataRequestId: "1", orders: [] });
  ours = (
    await db.dataRequest.create({
      data: {
        shop: sim.shop,
        customerId: "gid://shopify/Customer/7001",
        ordersRequested: "[]",
        report: report("gid://shopify/Customer/7001"),
      },
    })
  ).id;
  theirs = (
    await db.dataRequest.create({
      data: {
        shop: "another-data-request-shop.myshopify.com",
        customerId: "gid://shopify/Customer/7002",
        ordersRequested: "[]",
        report: report("gid://shopify/Customer/7002"),
      },
    })
  ).id;
});

describe("a data request's download", () => {
  it("hands over this shop's report as a file", async () => {
    const response = await download(ours, "de");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="/);
    expect(JSON.parse(await response.text())).toMatchObject({
      customerId: "gid://shopify/Customer/7001",
    });
  }, 60_000);

  it("answers 404 in the admin's language for a request that is not this shop's", async () => {
    for (const [locale, id] of [
      ["de", "no-such-request"],
      ["de", theirs],
      ["en", theirs],
    ] as const) {
      const response = await download(id, locale);
      expect(response.status).toBe(404);
      const body = await response.text();
      expect(body).toBe((await translatorOf(locale))("hardening.dataRequests.notFound"));
      // Nothing of the other shop's report comes with it.
      expect(body).not.toContain("7002");
    }
  }, 60_000);
});
