// A merchant acts from the order detail against the demo: finds an order in the queue, checks the
// customer's crop and why it waits, downloads the packing slip, approves it, writes notes; captures
// an authorized lab order, holds it, and sees Shopify's refusal in red when acting on a stale page;
// routes an order again from its page.
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import {
  appTest as test,
  expect,
  keepScreenshot,
  numberOf,
  openApp,
  toast,
  unnamedControls,
  waitForScreen,
  type PlacedOrder,
} from "./support/harness.ts";
import { english, englishPattern } from "./support/catalogue.ts";
import {
  APPROVED_TOASTS,
  commandSaid,
  reviewAndAuthorizedOrders,
} from "./support/review-fixtures.ts";

let print: PlacedOrder;
let labOrder: PlacedOrder;

const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });

test.beforeAll(async ({ stack, db, browser }) => {
  ({ print, labOrder } = await reviewAndAuthorizedOrders({ stack, db, browser }));
});

/** A fulfillment order card's "Placed by" line for a hold this app placed for `who`. */
const placedBy = (who: "review" | "manual") =>
  english("fulfillmentOrderCard.placedBy", { by: english(`fulfillmentOrderCard.holdBy.${who}`) });

/** A reply's button or field, to a note by anyone, in the catalogue's words. */
const replyPattern = (key: string) => new RegExp(`^${englishPattern(key, { author: /.+/ })}$`);

const said = commandSaid;

/** The name of a fulfillment order card's command button at a location. */
const commandAt = (action: "approve" | "fulfil" | "hold" | "release", where: string) =>
  english(`fulfillmentOrderCard.commandAt.${action}`, { where });

test.describe("the order detail", () => {
  test("shows the crop and why the order waits, downloads the packing slip, approves it and keeps notes", async ({
    stack,
    db,
    page: tab,
  }) => {
    await openApp(tab, stack, "/app/queue", english("nav.queue"));
    await tab.getByRole("button", { name: english("queue.filter.searchAndFilter") }).click();
    await tab.getByRole("textbox", { name: english("queue.filter.search") }).fill("Schmidt");
    await eventually(() => tab.locator("tbody tr").count()).toBe(1);
    await tab.getByRole("link", { name: print.name }).click();

    await tab.waitForURL((u) => u.pathname === `/app/orders/${numberOf(print.orderId)}`);
    await waitForScreen(tab, english("order.title", { name: print.name }));
    const studio = tab
      .locator(".Polaris-ShadowBevel")
      .filter({ has: tab.getByRole("heading", { name: "Studio", level: 2 }) });
    expect(await studio.getByText("x:0.10 y:0.05 w:0.80 h:0.90").isVisible()).toBe(true);
    expect(await studio.getByText(english("outcome.in_review")).isVisible()).toBe(true);
    expect(await tab.getByText(placedBy("review")).isVisible()).toBe(true);
    expect(await tab.getByRole("heading", { name: english("order.trace.title") }).isVisible()).toBe(
      true,
    );
    expect(await unnamedControls(tab)).toEqual([]);
    expect(
      await tab
        .getByText(english("order.trace.rule", { rule: "Review prints" }), { exact: false })
        .first()
        .isVisible(),
    ).toBe(true);

    // The packing slip comes as a PDF.
    const download = tab.waitForEvent("download");
    await tab.getByRole("button", { name: english("order.slip.button") }).click();
    const file = await (await download).path();
    expect(readFileSync(file).subarray(0, 5).toString("latin1")).toBe("%PDF-");

    // Notes, and a reply under the first.
    // The field empties once the note is saved; then the note is on the page.
    const newNote = tab.getByRole("textbox", { name: english("order.notes.new") });
    await newNote.fill("Crop checked against the original.");
    await tab.getByRole("button", { name: english("order.notes.add") }).click();
    await eventually(() => newNote.inputValue()).toBe("");
    await tab.getByText("Crop checked against the original.").waitFor();
    await tab.getByRole("button", { name: replyPattern("order.notes.replyToNoteBy") }).click();
    await tab
      .getByRole("textbox", { name: replyPattern("order.notes.replyTo") })
      .fill("Thanks, printing it.");
    await tab.getByRole("button", { name: english("order.notes.postReply") }).click();
    // The reply form closes once the reply is saved.
    await eventually(() =>
      tab.getByRole("textbox", { name: replyPattern("order.notes.replyTo") }).count(),
    ).toBe(0);
    await tab.getByText("Thanks, printing it.").waitFor();
    const notes = await db.orderNote.findMany({
      where: { orderId: print.orderId },
      orderBy: { createdAt: "asc" },
    });
    expect(notes.map((n) => [n.body, n.parentId])).toEqual([
      ["Crop checked against the original.", null],
      ["Thanks, printing it.", notes[0]!.id],
    ]);

    // Approve by keyboard: focus the button and press Enter.
    const approve = tab.getByRole("button", { name: commandAt("approve", "Studio") });
    await approve.focus();
    await tab.keyboard.press("Enter");
    await toast(tab, said(...APPROVED_TOASTS)).waitFor({ timeout: 30_000 });
    await eventually(() => studio.getByText(english("outcome.done")).isVisible()).toBe(true);
    expect(
      await tab
        .getByText(english("order.timeline.approvedAt", { place: "Studio" }), { exact: false })
        .first()
        .isVisible(),
    ).toBe(true);
    expect(await db.approval.count({ where: { orderId: print.orderId } })).toBe(1);
    await keepScreenshot(tab, "review-order-approved");

    // The queue remembers it under "Recently viewed".
    // The page's back arrow (the nav menu has a link of the same name).
    await tab
      .locator(".Polaris-Page")
      .getByRole("link", { name: english("nav.queue") })
      .click();
    await waitForScreen(tab, english("nav.queue"));
    expect(await tab.getByRole("link", { name: print.name }).first().isVisible()).toBe(true);
  });

  test("captures an authorized lab order, holds it, and says a stale page's second hold for the same reason is held already", async ({
    stack,
    newPage,
  }) => {
    const path = `/app/orders/${numberOf(labOrder.orderId)}`;
    const tab = await newPage();
    await openApp(tab, stack, path, english("order.title", { name: labOrder.name }));
    // The demo shop is not on Plus, so Shopify gives no authorizationExpiresAt (the field's
    // description): the page shows the authorized amount without a deadline.
    expect(await tab.getByText(/\d authorized$/).isVisible()).toBe(true);
    expect(
      await tab
        .getByText(english("fulfillmentOrderCard.fulfilledBy", { provider: "Partner Lab" }))
        .isVisible(),
    ).toBe(true);
    // The lab owns its fulfillment order: no "Fulfil" button, since API 2024-10 only the lab can.
    expect(
      await tab.getByRole("button", { name: commandAt("fulfil", "Partner Lab") }).count(),
    ).toBe(0);

    await tab.getByRole("button", { name: english("order.capture") }).click();
    await tab
      .getByRole("dialog")
      .getByRole("button", { name: english("order.capture") })
      .click();
    await toast(tab, said("captured")).waitFor({ timeout: 30_000 });
    await eventually(() => tab.getByText(english("order.captured")).isVisible()).toBe(true);
    expect(
      (
        await stack.control<{ financialStatus: string }>(
          "GET",
          `/_sim/orders/${encodeURIComponent(labOrder.orderId)}`,
        )
      ).financialStatus,
    ).toMatch(/paid/i);

    // A second tab holds it first; this one still offers "Hold".
    const other = await newPage();
    await openApp(other, stack, path, english("order.title", { name: labOrder.name }));
    const hold = async (page: Page) => {
      await page.getByRole("button", { name: commandAt("hold", "Partner Lab") }).click();
      const dialog = page.getByRole("dialog");
      await dialog
        .getByRole("combobox", { name: english("hold.reason") })
        .selectOption("INCORRECT_ADDRESS");
      await dialog.getByRole("textbox", { name: english("hold.note") }).fill("Street name missing");
      await dialog.getByRole("button", { name: english("hold.hold") }).click();
    };
    await hold(other);
    await toast(
      other,
      english("serviceMessages.commands.held", {
        reason: english("holdReason.INCORRECT_ADDRESS"),
      }),
    ).waitFor({ timeout: 30_000 });
    await eventually(() =>
      other.getByText(`${placedBy("manual")} — Street name missing`).isVisible(),
    ).toBe(true);

    // The stale page holds it for the same reason: it is held for that already, which is what was
    // asked, so the app says so rather than pass on Shopify's refusal of a second hold with the
    // same handle (self-fulfill.test.ts shows a refusal in red beside its action).
    await hold(tab);
    await toast(
      tab,
      english("serviceMessages.commands.alreadyHeld", {
        reason: english("holdReason.INCORRECT_ADDRESS"),
      }),
    ).waitFor({ timeout: 30_000 });
    await keepScreenshot(tab, "review-order-already-held");

    // Release from the fresh page lifts the merchant's hold.
    await tab.reload();
    await waitForScreen(tab, english("order.title", { name: labOrder.name }));
    await tab.getByRole("button", { name: commandAt("release", "Partner Lab") }).click();
    await toast(tab, said("released_one", "released_other")).waitFor({ timeout: 30_000 });
    await eventually(() => tab.getByText(placedBy("manual"), { exact: false }).count()).toBe(0);
  });

  test("routes an order again from its page: the rules decide it again and the toast says what came of it", async ({
    stack,
    db,
    page: tab,
  }) => {
    const path = `/app/orders/${numberOf(print.orderId)}`;
    await openApp(tab, stack, path, english("order.title", { name: print.name }));
    // No repair placed any of its work: nothing to confirm, the rules run at once.
    await tab.getByRole("button", { name: english("bulkAction.reroute") }).click();
    await toast(
      tab,
      said("routedAgain_one", "routedAgain_other", "routedAgainNothing", "routedAgainAttention"),
    ).waitFor({ timeout: 30_000 });
    expect(
      await db.decision.count({
        where: { orderId: print.orderId, trigger: "merchant", cause: "route_again" },
      }),
    ).toBe(1);
    await keepScreenshot(tab, "review-order-routed-again");
  });
});
