// Fulfilling in-house from the order detail in Chromium: each line links the customer's photo and
// the print file (the properties a photo-upload app leaves) and draws the customer's crop over the
// photo; the merchant fulfills with a carrier from Shopify's list, a tracking number and URL, once
// telling the customer and once not, and Shopify holds each fulfillment with that tracking and that
// choice (screenshots kept).
import type { Locator, Page } from "playwright-core";
import { printProperties } from "../../simulator/src/seed/demo.ts";
import {
  appTest as test,
  expect,
  installApp,
  keepScreenshot,
  numberOf,
  openApp,
  waitFor,
  type PlacedOrder,
  type Stack,
} from "./support/harness.ts";
import { english } from "./support/catalogue.ts";

interface Fulfillment {
  tracking: { company: string | null; number: string | null; url: string | null }[];
  notifyCustomer: boolean;
  lineItems: { quantity: number }[];
}
interface OrderState {
  fulfillments: Fulfillment[];
  fulfillmentOrders: {
    id: string;
    status: string;
    lineItems: { remainingQuantity: number }[];
  }[];
}

let placed: PlacedOrder;
let held: PlacedOrder;

test.beforeAll(async ({ stack, db, browser }) => {
  await installApp(browser, stack);
  placed = await stack.createOrder({
    payment: "paid",
    email: "ines@example.com",
    customer: { email: "ines@example.com", firstName: "Ines", lastName: "Roth" },
    lineItems: [
      {
        sku: "PRINT-MATTE-A4",
        quantity: 3,
        properties: printProperties(stack.simulatorUrl, "IMG_5120.jpg", [0.1, 0.05, 0.8, 0.9]),
      },
    ],
  });
  held = await stack.createOrder({
    payment: "paid",
    email: "ole@example.com",
    lineItems: [
      {
        sku: "PRINT-LUSTRE-A4",
        quantity: 1,
        properties: printProperties(stack.simulatorUrl, "DSC_7781.jpg", [0, 0, 1, 1]),
      },
    ],
  });
  // No rule: the app decides nothing to hold, and the Studio's fulfillment orders stay the merchant's.
  for (const order of [placed, held])
    await waitFor(
      "the order to be decided",
      () => db.fulfillmentOrderRecord.findMany({ where: { orderId: order.orderId } }),
      (records) => records.length > 0,
    );
});

const card = (tab: Page) =>
  tab.locator(".Polaris-ShadowBevel").filter({
    has: tab.getByRole("heading", {
      name: english("fulfill.selfFulfill.title", { location: "Studio" }),
      level: 2,
    }),
  });

const orderState = (stack: Stack, order = placed) => stack.orderState<OrderState>(order.orderId);

async function fulfill(
  form: Locator,
  input: { quantity: string; carrier: string; number: string; url?: string; notify: boolean },
) {
  await form.getByRole("spinbutton", { name: /^Quantity/ }).fill(input.quantity);
  await form
    .getByRole("combobox", { name: english("fulfill.selfFulfill.carrier") })
    .selectOption(input.carrier);
  await form
    .getByRole("textbox", { name: english("fulfill.selfFulfill.trackingNumber") })
    .fill(input.number);
  await form
    .getByRole("textbox", { name: english("fulfill.selfFulfill.trackingUrl") })
    .fill(input.url ?? "");
  await form
    .getByRole("checkbox", { name: english("fulfill.selfFulfill.notify") })
    .setChecked(input.notify, { force: true });
  await form.getByRole("button", { name: english("fulfill.selfFulfill.submit") }).click();
}

test.describe("fulfilling in-house with tracking", () => {
  test("the crop over the photo, then two fulfillments with tracking, the customer told and not told", async ({
    stack,
    page: tab,
  }) => {
    await openApp(
      tab,
      stack,
      `/app/orders/${numberOf(placed.orderId)}`,
      english("order.title", { name: placed.name }),
    );
    const form = card(tab);
    await form.waitFor({ timeout: 30_000 });

    // The files are linked by what they are, at the address the upload app left.
    await expect
      .poll(() =>
        form
          .getByRole("link", { name: english("selfFulfillFiles.open.photo") })
          .getAttribute("href"),
      )
      .toBe(`${stack.simulatorUrl}/cdn/shop/files/IMG_5120.jpg`);
    expect(
      await form
        .getByRole("link", { name: english("selfFulfillFiles.open.printFile") })
        .getAttribute("href"),
    ).toBe(`${stack.simulatorUrl}/cdn/shop/files/IMG_5120-print.jpg`);

    // The crop is drawn over the photo: the photo has loaded, and the frame covers the customer's
    // part of it (10 % in, 5 % down, 80 % × 90 %), not a row of numbers.
    const preview = form.getByRole("img", {
      name: english("fulfill.selfFulfill.cropLabel", { width: 80, height: 90 }),
      exact: true,
    });
    const photo = preview.locator("img");
    await expect
      .poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBe(600);
    const image = (await photo.boundingBox())!;
    const frame = (await preview.getByTestId("crop-frame").boundingBox())!;
    const near = (actual: number, expected: number) =>
      expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1.5);
    near(frame.x - image.x, image.width * 0.1);
    near(frame.y - image.y, image.height * 0.05);
    near(frame.width, image.width * 0.8);
    near(frame.height, image.height * 0.9);
    expect(await form.getByText("x:0.10 y:0.05 w:0.80 h:0.90").count()).toBe(0);
    await keepScreenshot(tab, "self-fulfill-crop");

    // One print with DHL Express, the customer told.
    await fulfill(form, {
      quantity: "1",
      carrier: "DHL Express",
      number: "JD014600006281230704",
      url: "https://www.dhl.com/track?id=JD014600006281230704",
      notify: true,
    });
    await expect
      .poll(async () => (await orderState(stack)).fulfillments.length, { timeout: 60_000 })
      .toBe(1);
    expect((await orderState(stack)).fulfillments[0]).toMatchObject({
      tracking: [
        {
          company: "DHL Express",
          number: "JD014600006281230704",
          url: "https://www.dhl.com/track?id=JD014600006281230704",
        },
      ],
      notifyCustomer: true,
      lineItems: [expect.objectContaining({ quantity: 1 })],
    });
    // The card says what is left once the order is read again.
    await form
      .getByRole("spinbutton", { name: english("fulfill.selfFulfill.quantity", { remaining: 2 }) })
      .waitFor({ timeout: 30_000 });

    // One more with UPS, the customer not told.
    await fulfill(form, {
      quantity: "1",
      carrier: "UPS",
      number: "1Z999AA10123456784",
      notify: false,
    });
    await expect
      .poll(async () => (await orderState(stack)).fulfillments.length, { timeout: 60_000 })
      .toBe(2);
    expect((await orderState(stack)).fulfillments[1]).toMatchObject({
      tracking: [expect.objectContaining({ company: "UPS", number: "1Z999AA10123456784" })],
      notifyCustomer: false,
      lineItems: [expect.objectContaining({ quantity: 1 })],
    });
    await form
      .getByRole("spinbutton", { name: english("fulfill.selfFulfill.quantity", { remaining: 1 }) })
      .waitFor({ timeout: 30_000 });
  });

  test("staff put the fulfillment order on hold while the screen is open: Shopify's refusal in red beside the action", async ({
    stack,
    page: tab,
  }) => {
    await openApp(
      tab,
      stack,
      `/app/orders/${numberOf(held.orderId)}`,
      english("order.title", { name: held.name }),
    );
    const form = card(tab);
    await form.waitFor({ timeout: 30_000 });
    const [fo] = (await orderState(stack, held)).fulfillmentOrders;
    await stack.control(
      "POST",
      `/_sim/fulfillment-orders/${encodeURIComponent(fo!.id)}/staff-hold`,
      { reason: "INCORRECT_ADDRESS" },
    );
    await fulfill(form, {
      quantity: "1",
      carrier: "UPS",
      number: "1Z999AA10123456785",
      notify: true,
    });
    // Shopify's words, inside the card's critical banner (the card stays after the order is read
    // again, though Shopify no longer offers to fulfill it).
    await form.getByText(english("fulfill.selfFulfill.refused")).waitFor({ timeout: 60_000 });
    await form.getByText(/on hold and can't be fulfilled/).waitFor();
    await keepScreenshot(tab, "self-fulfill-refused");
    const after = await orderState(stack, held);
    expect(after.fulfillments).toEqual([]);
    expect(after.fulfillmentOrders[0]!.lineItems[0]!.remainingQuantity).toBe(1);
  });
});
