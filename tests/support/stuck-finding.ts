// A stuck request's finding as the stuck-and-drift pass stores it, for suites that start from one
// without running the pass: Partner Lab has left the request standing for three days.
export function stuckFindingRow(shop: string, n: number) {
  return {
    shop,
    key: `stuck_request:gid://shopify/FulfillmentOrder/${n}`,
    category: "stuck",
    kind: "stuck_request",
    orderId: `gid://shopify/Order/${n}`,
    orderName: `#${n}`,
    fulfillmentOrderId: `gid://shopify/FulfillmentOrder/${n}`,
    labName: "Partner Lab",
    since: new Date(Date.now() - 3 * 24 * 3600_000),
    summary: `The request for #${n} stands still`,
    evidence: JSON.stringify({ shopify: [], lab: [] }),
    repair: null,
  };
}
