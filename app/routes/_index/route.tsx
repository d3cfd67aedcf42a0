// The app's public front door: Shopify admin opens /app; anyone else gets a short description.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) {
    throw redirect(`/app?${url.searchParams.toString()}`);
  }
  return null;
};

export default function Index() {
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 640, margin: "4rem auto" }}>
      <h1>Fulfilment Router</h1>
      <p>
        Routes every paid order&apos;s fulfillment orders by your rules: fulfil automatically, hold
        for review, split by what your own machines can print, send the rest to your lab, and show
        what was done and why.
      </p>
      <p>Install it from the Shopify App Store and open it from your Shopify admin.</p>
    </main>
  );
}
