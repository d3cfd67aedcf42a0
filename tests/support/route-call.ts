// Runs a Remix route handler as Remix does, for tests that call routes without a server.
import type { ActionFunctionArgs } from "@remix-run/node";
import type { SimulatorHandle } from "./shop-simulator";

const BROWSER =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36";

/**
 * A request to one of the app's screens as admin's browser sends it, signed in as the simulator's
 * shop with a fresh session token: a GET, or a form post with `form`.
 */
export async function signedRequest(
  sim: Pick<SimulatorHandle, "control" | "shop">,
  path: string,
  form?: Record<string, string> | [string, string][],
): Promise<Request> {
  const { token } = await sim.control<{ token: string }>(
    "GET",
    `/_sim/session-token?shop=${sim.shop}`,
  );
  return new Request(`${process.env.SHOPIFY_APP_URL}${path}`, {
    method: form ? "POST" : "GET",
    headers: {
      Authorization: `Bearer ${token}`,
      "User-Agent": BROWSER,
      ...(form ? { "Content-Type": "application/x-www-form-urlencoded" } : {}),
    },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
}

/** A thrown Response is the answer, data() carries its status. */
export async function callRoute(
  handler: (args: ActionFunctionArgs) => Promise<unknown>,
  req: Request,
  params: Record<string, string> = {},
): Promise<Response> {
  try {
    const result = await handler({ request: req, params, context: {} });
    if (result instanceof Response) return result;
    const init = (result as { init?: { status?: number } } | null)?.init;
    return new Response(JSON.stringify(result), { status: init?.status ?? 200 });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
