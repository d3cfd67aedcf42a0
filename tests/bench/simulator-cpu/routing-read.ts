// The worker's routing read as simulator-cpu's stand-in app and read.ts send it: the document and the variables of an order of one line at one location.
export { ORDER_ROUTING_SNAPSHOT_QUERY } from "../../../app/shopify/operations";

/** The variables the worker sends for an order of one line at one location (captured from a run). */
export function routingReadVariables(orderId: string) {
  return {
    id: orderId,
    fulfillmentOrders: 1,
    fulfillmentOrderLines: 1,
    withLocations: true,
    withFulfillmentServices: true,
    withTotal: false,
    withOutstanding: false,
    withShippingAddress: false,
    withShippingLine: false,
    withCatalogue: false,
  };
}
