// After-sales on the order detail in Chromium: a note on one fulfillment order's card (shown there
// and in the timeline), then some items canceled: Shopify's refusal of an amount above what was paid
// is shown in red beside the action and nothing changes, then one item comes off refunded in full:
// the dialog says the amount, tax included, before the merchant confirms, and that is what is refunded
// once, though Shopify's first answer is lost and the merchant chooses Try again; the toast says the
// money as admin shows it.
import {
  appTest as test,
  expect,
  keepScreenshot,
  numberOf,
  openApp,
  type PlacedOrder,
} from "./support/harness.ts";
import { english, englishPattern } from "./support/catalogue.ts";
import { heldPrintOrder, printOrder } from "./support/review-fixtures.ts";

let print: PlacedOrder;

test.beforeAll(async ({ stack, db, browser }) => {
  print = await heldPrintOrder(
    { stack, db, browser },
    printOrder(8, {
      lineItems: [
        {
          sku: "PRINT-MATTE-A4",
          quantity: 2,
          properties: { Image: "IMG_1008.jpg", Crop: "x:0.10 y:0.05 w:0.80 h:0.90" },
        },
      ],
      // 24.00 a print with 19 % VAT on top: 28.56 an item.
      taxLines: [{ title: "VAT", rate: 0.19 }],
    }),
  );
});

test.describe("after-sales on the order detail", () => {
  test("a note on the Studio's fulfillment order, then a refused and an accepted cancel of some items", async ({
    stack,
    db,
    page: tab,
  }) => {
    await openApp(
      tab,
      stack,
      `/app/orders/${numberOf(print.orderId)}`,
      english("order.title", { name: print.name }),
    );

    // The note is written on the Studio's card and stays there after the save.
    const studio = tab
      .locator(".Polaris-ShadowBevel")
      .filter({ has: tab.getByRole("heading", { name: "Studio", level: 2 }) });
    await studio
      .getByRole("textbox", { name: english("orderlog.notes.label", { where: "Studio" }) })
      .fill("Paper for A4 matte arrives Monday");
    await studio
      .getByRole("button", { name: english("orderlog.notes.addAt", { where: "Studio" }) })
      .click();
    await studio.getByText("Paper for A4 matte arrives Monday").waitFor({ timeout: 30_000 });
    // The timeline's line for it, by whoever admin signed in as.
    const noted = englishPattern("order.timeline.fulfillmentOrderNote", {
      place: "Studio",
      author: /.+/,
      body: "Paper for A4 matte arrives Monday",
    });
    await tab.getByText(new RegExp(`^${noted}$`)).waitFor();
    expect(await db.fulfillmentOrderNote.count({ where: { orderId: print.orderId } })).toBe(1);

    const card = tab.locator(".Polaris-ShadowBevel").filter({
      has: tab.getByRole("heading", {
        name: english("afterPayment.cancelLines.title"),
        level: 2,
      }),
    });
    const cancel = async (amount: string | null) => {
      await card.getByRole("button", { name: english("afterPayment.cancelLines.open") }).click();
      const dialog = tab.getByRole("dialog");
      await dialog.getByRole("spinbutton", { name: /Fine Art Print/ }).fill("1");
      await dialog
        .getByRole("combobox", { name: english("afterPayment.cancelLines.reason") })
        .selectOption({ index: 1 });
      await dialog
        .getByText(english("afterPayment.cancelLines.refundOriginal"), { exact: true })
        .click();
      // The form keeps what was chosen last time: each try says its amount.
      if (!amount) {
        await dialog
          .getByText(english("afterPayment.cancelLines.amountFull"), { exact: true })
          .click();
        // The amount Shopify works out for the item, tax included, before confirming.
        const full = englishPattern("afterPayment.cancelLines.fullAmountWithTax", {
          amount: /\D*28\.56\D*/,
          tax: /\D*4\.56\D*/,
        });
        await dialog.getByText(new RegExp(`^${full}$`)).waitFor({ timeout: 30_000 });
      }
      if (amount) {
        await dialog
          .getByText(english("afterPayment.cancelLines.amountSet"), { exact: true })
          .click();
        const refund = englishPattern("afterPayment.cancelLines.amount", { currency: /\w+/ });
        await dialog.getByRole("textbox", { name: new RegExp(`^${refund}$`) }).fill(amount);
      }
      return dialog.getByRole("button", { name: english("afterPayment.cancelLines.confirm") });
    };

    // More than is left to refund: said beside the amount before anything is sent, with the
    // confirm button off (ADR 095), where Shopify's refusal used to come back after confirming.
    const tooMuch = await cancel("9999.00");
    const aboveLeft = englishPattern("afterPayment.cancelLines.errors.amountAboveLeft", {
      left: /€\d+\.\d{2}/,
    });
    await tab
      .getByRole("dialog")
      .getByText(new RegExp(`^${aboveLeft}$`))
      .waitFor({ timeout: 30_000 });
    expect(await tooMuch.isDisabled()).toBe(true);
    await keepScreenshot(tab, "cancel-items-refused");
    const untouched = await stack.control<{ lineItems: { currentQuantity: number }[] }>(
      "GET",
      `/_sim/orders/${encodeURIComponent(print.orderId)}`,
    );
    expect(untouched.lineItems[0]!.currentQuantity).toBe(2);

    await tab.keyboard.press("Escape");
    // Shopify makes the refund but its answer is lost on the way back: the card says so with
    // Try again, which resumes the same refund under the same idempotency key (ADR 093).
    await stack.control("POST", "/_sim/faults", {
      appliedThenTimeoutOf: { RefundCreate: 1 },
      timeoutMs: 300,
    });
    await (await cancel(null)).click();
    const retry = card.getByRole("button", { name: english("common.tryAgain") });
    await retry.waitFor({ timeout: 60_000 });
    // Shopify may have made the refund: the banner says so, not "No items were canceled" (ADR 097).
    await card.getByText(english("afterPayment.cancelLines.lost.title"), { exact: true }).waitFor();
    await card.getByText(english("afterPayment.cancelLines.lost.text")).waitFor();
    await keepScreenshot(tab, "cancel-items-no-answer");
    await retry.click();
    // The toast says the money as admin does ("€28.56"), not "28.56 EUR".
    await tab
      .getByRole("status")
      .filter({ hasText: `1 item of ${print.name} canceled, €28.56 refunded` })
      .waitFor({ timeout: 60_000 });
    await expect
      .poll(
        async () =>
          (
            await stack.control<{ lineItems: { currentQuantity: number }[] }>(
              "GET",
              `/_sim/orders/${encodeURIComponent(print.orderId)}`,
            )
          ).lineItems[0]!.currentQuantity,
        { timeout: 60_000 },
      )
      .toBe(1);
    const refunded = await stack.control<{ transactions: { kind: string; amount: string }[] }>(
      "GET",
      `/_sim/orders/${encodeURIComponent(print.orderId)}`,
    );
    expect(refunded.transactions.filter((t) => t.kind === "REFUND").map((t) => t.amount)).toEqual([
      "28.56",
    ]);
    await keepScreenshot(tab, "cancel-items");
  });
});
