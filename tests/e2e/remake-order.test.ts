// A merchant remakes a print from the order detail in Chromium: a quantity above what was ordered
// is refused in red beside the action, then the remake goes through, the replacement order is
// placed on Shopify at no charge and both orders link to each other.
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

const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 30_000 });

test.beforeAll(async ({ stack, db, browser }) => {
  print = await heldPrintOrder({ stack, db, browser }, printOrder(7));
});

test.describe("remake from the order detail", () => {
  test("refuses more than was ordered in red, then remakes the print at no charge and links both orders", async ({
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
    const card = tab.locator(".Polaris-ShadowBevel").filter({
      has: tab.getByRole("heading", { name: english("afterSales.remake.title"), level: 2 }),
    });

    await card.getByRole("button", { name: english("afterSales.remake.open") }).click();
    const dialog = tab.getByRole("dialog");
    await dialog.getByRole("spinbutton", { name: /Fine Art Print/ }).fill("3");
    await dialog
      .getByRole("combobox", { name: english("afterSales.remake.reason") })
      .selectOption("Wrong crop");
    await dialog.getByRole("button", { name: english("afterSales.remake.confirm") }).click();
    await card.getByText(english("afterSales.remake.refused")).waitFor({ timeout: 30_000 });
    // The refusal names the line by its title (any), with 1 ordered.
    const tooMany = englishPattern("afterSales.remake.refusals.tooMany", {
      title: /.+/,
      ordered: 1,
    });
    expect(await card.getByText(new RegExp(tooMany)).isVisible()).toBe(true);
    expect(
      await card.locator(".Polaris-Banner--toneCritical, [class*=critical]").count(),
    ).toBeGreaterThan(0);
    expect(await db.remake.count()).toBe(0);

    await card.getByRole("button", { name: english("afterSales.remake.open") }).click();
    await dialog.getByRole("spinbutton", { name: /Fine Art Print/ }).fill("1");
    await dialog
      .getByRole("combobox", { name: english("afterSales.remake.reason") })
      .selectOption("Wrong crop");
    await dialog.getByRole("button", { name: english("afterSales.remake.confirm") }).click();
    await card.getByText(english("afterSales.remake.remadeAs")).waitFor({ timeout: 60_000 });
    const link = await db.remake.findFirstOrThrow({ where: { orderId: print.orderId } });
    expect(link).toMatchObject({ status: "completed", reason: "Wrong crop", unitPrice: "0.00" });
    expect(await card.getByRole("link", { name: link.replacementName! }).isVisible()).toBe(true);
    await keepScreenshot(tab, "remake-order");

    const replacement = await stack.control<{ financialStatus: string; note: string }>(
      "GET",
      `/_sim/orders/${encodeURIComponent(link.replacementOrderId!)}`,
    );
    expect(replacement.note).toBe(`Remake of ${print.name}: Wrong crop`);

    // The replacement's page names the original.
    await card.getByRole("link", { name: link.replacementName! }).click();
    await tab.waitForURL((u) => u.pathname === `/app/orders/${numberOf(link.replacementOrderId!)}`);
    await eventually(() => card.getByRole("link", { name: print.name }).isVisible()).toBe(true);
    expect(
      await card.getByText(english("afterSales.remake.remakeOf"), { exact: true }).isVisible(),
    ).toBe(true);
  });
});
