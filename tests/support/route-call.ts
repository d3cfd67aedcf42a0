// Runs a Remix route handler as Remix does, for tests that call routes without a server.
import type { ActionFunctionArgs } from "@remix-run/node";

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
