// Admin GraphQL objects made from the shop model: each view is a plain object whose fields are values or (args) => value, read by the executor's field resolver. The views live in views/ by what they show; this is what the resolvers use of them.
export type { GqlContext } from "./views/common.ts";
export { fulfillmentServiceView, locationView, shopView } from "./views/shop.ts";
export { inventoryLevelView, productView, variantView } from "./views/catalog.ts";
export { orderView, refundView, transactionView } from "./views/order.ts";
export {
  fulfillmentOrderSearch,
  fulfillmentOrderView,
  fulfillmentView,
} from "./views/fulfillment.ts";
export { draftOrderView } from "./views/draft-order.ts";
export { nodeView } from "./views/node.ts";
