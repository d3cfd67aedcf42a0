// A merchant's rule changes on the rule's screen (its action, signed in with a session token the simulator signs), and the stock-news check they queue in the app's process queue, run as the worker runs it (ADR 101).
import { afterAll } from "vitest";
import type { WorkerDeps } from "~/fulfilment/worker.server";
import type { Rule } from "~/routing";
import { ruleToDraft } from "~/routing/rule-draft";
import { sendShopifyCallsTo } from "~/shopify/origin.server";
import { callRoute } from "./route-call";
import type { SimulatorHandle } from "./shop-simulator";

/** A rule that splits by stock (ships what is in stock, holds the rest for it), as a merchant saves it. */
export const SHIP_WHAT_WE_HAVE: Rule = {
  id: "rule-ship-what-we-have",
  name: "Ship what we have",
  enabled: true,
  position: 0,
  match: "all",
  lines: "any",
  keepChecking: false,
  conditions: [],
  actions: [{ type: "split", by: "stock" }, { type: "fulfil_automatically" }],
};

const BROWSER =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36";

/** Stops the app's process queue, which the screen's action made, after the file. */
export function withRuleScreen(): void {
  afterAll(async () => {
    await globalThis.__fulfilmentRouterQueue?.stop();
    globalThis.__fulfilmentRouterQueue = undefined;
  });
}

async function post(sim: SimulatorHandle, ruleId: string, body: unknown): Promise<Response> {
  const { action } = await import("~/routes/app.rules.$id");
  // The screen signs the staff member in with an online token (ADR 077): token exchange goes to
  // the simulator as Shopify's would (after the route's import, whose adapter sets the fetch).
  sendShopifyCallsTo(sim.url);
  const { token } = await sim.control<{ token: string }>(
    "GET",
    `/_sim/session-token?shop=${sim.shop}`,
  );
  return callRoute(
    action,
    new Request(`${process.env.SHOPIFY_APP_URL}/app/rules/${ruleId}`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${token}`,
        "Content-Type": "application/json",
        "User-Agent": BROWSER,
      },
      body: JSON.stringify(body),
    }),
    { id: ruleId },
  );
}

/** Saves `rule` as the merchant's draft on its screen ("new" makes it). */
export async function saveRuleOnScreen(sim: SimulatorHandle, rule: Rule, id = "new") {
  const response = await post(sim, id, { intent: "save", draft: ruleToDraft(rule) });
  if (response.status !== 200)
    throw new Error(`saving the rule answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { ok: true; id: string };
}

/** Deletes the rule on its screen. */
export async function deleteRuleOnScreen(sim: SimulatorHandle, id: string): Promise<void> {
  const response = await post(sim, id, { intent: "delete" });
  if (response.status >= 400)
    throw new Error(`deleting the rule answered ${response.status}: ${await response.text()}`);
}

/** Runs the stock-news checks the screen queued, as the worker would, with `deps`. */
export async function runStockNewsChecks(deps: WorkerDeps): Promise<number> {
  const { jobQueue } = await import("~/process-queue.server");
  const { handleStockSubscription } = await import("~/fulfilment/stock-subscription.server");
  const { QUEUES } = await import("~/fulfilment/worker.server");
  return jobQueue().drain(QUEUES.stockSubscription, (job) => handleStockSubscription(deps, job));
}
