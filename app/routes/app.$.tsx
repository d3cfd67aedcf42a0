// An address under the app that no screen answers: the frame's Not found page (signed in, with
// admin's title bar and the nav menu) instead of the document's, which has neither (ADR 074).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.admin(request);
  throw new Response(null, { status: 404 });
};

/** Never shown: the loader always answers 404, which the frame's boundary shows. */
export default function NoSuchScreen() {
  return null;
}
