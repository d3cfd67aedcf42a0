// Every Admin API document the app sends, as named constants: validated against the committed
// 2026-10 schema and scope-checked by tests/shopify, typed by `npm run codegen`.

/**
 * What every order read asks of the order itself. The optional parts are asked for only when the
 * rules in force look at them (orderReadNeeds): each costs points on every read.
 */
const ORDER_SNAPSHOT_ORDER_FRAGMENT = `#graphql
  fragment OrderSnapshotOrder on Order {
    id
    name
    createdAt
    updatedAt
    tags
    note
    closed
    cancelledAt
    displayFinancialStatus
    capturable
    sourceName
    paymentGatewayNames
    totalPriceSet @include(if: $withTotal) {
      shopMoney {
        amount
        currencyCode
      }
    }
    # What the order still owes (a cancel lowers it, not an authorization): a capture's cap. Not
    # asked for an order its webhook said was paid in full: nothing is left to capture on it.
    totalOutstandingSet @include(if: $withOutstanding) {
      presentmentMoney {
        amount
      }
    }
    # Received less refunded, in the customer's currency: whether there is money to give back.
    netPaymentSet @include(if: $withTotal) {
      presentmentMoney {
        amount
        currencyCode
      }
    }
    risk {
      recommendation
      assessments {
        riskLevel
      }
    }
    shippingAddress @include(if: $withShippingAddress) {
      countryCodeV2
      provinceCode
    }
    shippingLine @include(if: $withShippingLine) {
      title
      code
    }
    customer {
      id
      displayName
      tags
    }
    transactions(first: 5, capturable: true) {
      id
      kind
      status
      authorizationExpiresAt
      createdAt
      gateway
      # The customer's currency: orderCapture takes its amount in it (ADR 078).
      totalUnsettledSet {
        presentmentMoney {
          amount
          currencyCode
        }
      }
    }
    fulfillments(first: 10) {
      id
      displayStatus
    }
  }
`;

/** What the engine reads of an order's line, wherever the read finds it. */
const ORDER_SNAPSHOT_LINE_FRAGMENT = `#graphql
  fragment OrderSnapshotLine on LineItem {
    id
    name
    title
    variantTitle
    sku
    quantity
    unfulfilledQuantity
    requiresShipping
    isGiftCard
    vendor
    customAttributes {
      key
      value
    }
    variant @include(if: $withCatalogue) {
      id
      selectedOptions {
        name
        value
      }
    }
    product @include(if: $withCatalogue) {
      id
      productType
      tags
    }
  }
`;

/**
 * A fulfillment order as the engine reads it, without its lines (each read asks for those its own
 * way). Its location's fulfilment service costs a point on every fulfillment order at a lab; a
 * reader that knows the shop's locations takes it from them instead (`withFulfillmentServices:
 * false`, snapshot.server.ts): a location belongs to its fulfilment service for life.
 */
const ORDER_SNAPSHOT_FULFILLMENT_ORDER_FRAGMENT = `#graphql
  fragment OrderSnapshotFulfillmentOrder on FulfillmentOrder {
    id
    status
    requestStatus
    updatedAt
    assignedLocation {
      name
      location {
        id
        fulfillmentService @include(if: $withFulfillmentServices) {
          handle
          serviceName
        }
      }
    }
    supportedActions {
      action
    }
    fulfillmentHolds {
      id
      handle
      reason
      reasonNotes
      heldByRequestingApp
    }
  }
`;

/** A location of the shop: a routing target, and whether it belongs to a fulfilment service. */
const SHOP_LOCATION_FRAGMENT = `#graphql
  fragment ShopLocation on Location {
    id
    name
    isActive
    fulfillmentService {
      handle
      serviceName
    }
  }
`;

/**
 * The one read per decision: the order, its lines and every fulfillment order with holds.
 * Connection sizes are variables: Shopify charges (and the bucket must hold) the requested cost,
 * sized by `first`, so a read sized for the orders most shops take asks for a quarter of what a
 * fixed 50 lines × 10 fulfillment orders × 20 of their lines would. The shop's locations are
 * left out (`withLocations: false`) when the router already knows them (snapshot.server.ts); read,
 * they are the first 20, room for most shops' in the read's own call, and their `pageInfo` (inside
 * the connection's 2 points) says whether more follow, read on from its cursor (LOCATIONS_QUERY).
 */
export const ORDER_SNAPSHOT_QUERY = `#graphql
  query OrderSnapshot(
    $id: ID!
    $lines: Int!
    $fulfillmentOrders: Int!
    $fulfillmentOrderLines: Int!
    $withLocations: Boolean = true
    $withTotal: Boolean = true
    $withOutstanding: Boolean = true
    $withShippingAddress: Boolean = true
    $withShippingLine: Boolean = true
    $withCatalogue: Boolean = true
    $withFulfillmentServices: Boolean = true
  ) {
    order(id: $id) {
      ...OrderSnapshotOrder
      lineItems(first: $lines) {
        nodes {
          ...OrderSnapshotLine
        }
      }
      fulfillmentOrders(first: $fulfillmentOrders) {
        nodes {
          ...OrderSnapshotFulfillmentOrder
          lineItems(first: $fulfillmentOrderLines) {
            nodes {
              id
              remainingQuantity
              totalQuantity
              lineItem {
                id
              }
            }
          }
        }
      }
    }
    locations(first: 20, includeLegacy: true) @include(if: $withLocations) {
      nodes {
        ...ShopLocation
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
  ${ORDER_SNAPSHOT_ORDER_FRAGMENT}
  ${ORDER_SNAPSHOT_LINE_FRAGMENT}
  ${ORDER_SNAPSHOT_FULFILLMENT_ORDER_FRAGMENT}
  ${SHOP_LOCATION_FRAGMENT}
`;

/**
 * A fulfillment order with its lines as the routing read takes it, each line read on the
 * fulfillment order line that carries it. `pageInfo` says whether the lines were cut short: the
 * answer itself tells, so a read sized to the order's own line count needs no spare line to find
 * out (its pageInfo is inside the connection's 2 points).
 */
const ROUTING_FULFILLMENT_ORDER_LINE_FRAGMENT = `#graphql
  fragment RoutingFulfillmentOrderLine on FulfillmentOrderLineItem {
    id
    remainingQuantity
    totalQuantity
    inventoryItemId
    lineItem {
      ...OrderSnapshotLine
    }
  }
`;

const ROUTING_FULFILLMENT_ORDER_FRAGMENT = `#graphql
  fragment RoutingFulfillmentOrder on FulfillmentOrder {
    ...OrderSnapshotFulfillmentOrder
    lineItems(first: $fulfillmentOrderLines) {
      nodes {
        ...RoutingFulfillmentOrderLine
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
  ${ROUTING_FULFILLMENT_ORDER_LINE_FRAGMENT}
`;

/**
 * The routing job's read: ORDER_SNAPSHOT_QUERY without the order's own line connection. Each line
 * is read where the engine looks at it, on the fulfillment order lines that carry it (a line no
 * fulfillment order carries has nothing to route), since the object that names a fulfillment
 * order line's line item costs its point either way: the order's line connection cost 2 points
 * plus one per line on every order. The same fragments as ORDER_SNAPSHOT_QUERY, so the two answer
 * in one shape. The fulfillment orders' `pageInfo` says whether more follow (closed ones count):
 * those are read on from its cursor (ORDER_FULFILLMENT_ORDERS_PAGE_QUERY), not the order again.
 */
export const ORDER_ROUTING_SNAPSHOT_QUERY = `#graphql
  query OrderRoutingSnapshot(
    $id: ID!
    $fulfillmentOrders: Int!
    $fulfillmentOrderLines: Int!
    $withLocations: Boolean = true
    $withTotal: Boolean = true
    $withOutstanding: Boolean = true
    $withShippingAddress: Boolean = true
    $withShippingLine: Boolean = true
    $withCatalogue: Boolean = true
    $withFulfillmentServices: Boolean = true
  ) {
    order(id: $id) {
      ...OrderSnapshotOrder
      fulfillmentOrders(first: $fulfillmentOrders) {
        nodes {
          ...RoutingFulfillmentOrder
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
    locations(first: 20, includeLegacy: true) @include(if: $withLocations) {
      nodes {
        ...ShopLocation
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
  ${ORDER_SNAPSHOT_ORDER_FRAGMENT}
  ${ORDER_SNAPSHOT_LINE_FRAGMENT}
  ${ORDER_SNAPSHOT_FULFILLMENT_ORDER_FRAGMENT}
  ${ROUTING_FULFILLMENT_ORDER_FRAGMENT}
  ${SHOP_LOCATION_FRAGMENT}
`;

/**
 * The routing read's next fulfillment orders, from the cursor of the page before: only the order's
 * id and the fulfillment orders missing (1 point for the order and 2 for the connection), where
 * reading the whole order again at larger sizes asked for about 750 points and paid for every
 * fulfillment order and line twice.
 */
export const ORDER_FULFILLMENT_ORDERS_PAGE_QUERY = `#graphql
  query OrderFulfillmentOrdersPage(
    $id: ID!
    $after: String!
    $fulfillmentOrders: Int!
    $fulfillmentOrderLines: Int!
    $withCatalogue: Boolean = true
    $withFulfillmentServices: Boolean = true
  ) {
    order(id: $id) {
      id
      fulfillmentOrders(first: $fulfillmentOrders, after: $after) {
        nodes {
          ...RoutingFulfillmentOrder
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
  ${ORDER_SNAPSHOT_LINE_FRAGMENT}
  ${ORDER_SNAPSHOT_FULFILLMENT_ORDER_FRAGMENT}
  ${ROUTING_FULFILLMENT_ORDER_FRAGMENT}
`;

/**
 * The rest of one fulfillment order's lines for the routing read, from the cursor of its lines in
 * the read: the fulfillment order (1 point), the connection (2) and the missing lines, where the
 * whole order was read again at the full read's sizes.
 */
export const FULFILLMENT_ORDER_LINES_PAGE_QUERY = `#graphql
  query FulfillmentOrderLinesPage(
    $id: ID!
    $after: String!
    $fulfillmentOrderLines: Int!
    $withCatalogue: Boolean = true
  ) {
    fulfillmentOrder(id: $id) {
      id
      lineItems(first: $fulfillmentOrderLines, after: $after) {
        nodes {
          ...RoutingFulfillmentOrderLine
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
  ${ORDER_SNAPSHOT_LINE_FRAGMENT}
  ${ROUTING_FULFILLMENT_ORDER_LINE_FRAGMENT}
`;

/**
 * What the routing rules read of the products and variants behind some inventory items (a
 * fulfillment order line's inventoryItemId), for the catalogue the router keeps
 * (catalogue.server.ts): asked only for items it does not hold.
 */
export const CATALOGUE_ITEMS_QUERY = `#graphql
  query CatalogueItems($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on InventoryItem {
        id
        variants(first: 1) {
          nodes {
            id
            selectedOptions {
              name
              value
            }
            product {
              id
              productType
              tags
            }
          }
        }
      }
    }
  }
`;

/**
 * Some inventory items' stock at one location, for a split by stock (stock.server.ts): the
 * fulfillment order read cannot name a location per fulfillment order in its arguments, so this
 * is asked after it, once per location of the order's open fulfillment orders, and only when a
 * rule splits by stock. `tracked: false` is always in stock; a null level is an item Shopify
 * holds no stock of there.
 */
export const STOCK_AT_LOCATION_QUERY = `#graphql
  query StockAtLocation($ids: [ID!]!, $locationId: ID!) {
    nodes(ids: $ids) {
      ... on InventoryItem {
        id
        tracked
        inventoryLevel(locationId: $locationId) {
          quantities(names: ["available", "committed"]) {
            name
            quantity
          }
        }
      }
    }
  }
`;

/** Paid orders changed since a time, for reconciliation of dropped webhooks. */
export const PAID_ORDERS_QUERY = `#graphql
  query PaidOrdersSince($query: String!, $after: String) {
    orders(first: 100, after: $after, query: $query, sortKey: UPDATED_AT) {
      nodes {
        id
        name
        updatedAt
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/**
 * Fulfillment orders on hold changed since a time, with their holds: reconciliation looks for the
 * release gate's hold still on after the rules decided (a gate request that landed late).
 */
export const HELD_FULFILLMENT_ORDERS_QUERY = `#graphql
  query HeldFulfillmentOrdersSince($query: String!, $after: String) {
    fulfillmentOrders(first: 100, after: $after, includeClosed: false, query: $query) {
      nodes {
        id
        orderId
        updatedAt
        fulfillmentHolds {
          handle
          heldByRequestingApp
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/**
 * The shop's locations: routing targets, and which belong to a fulfilment service. A page of 250,
 * Shopify's largest (502 points asked of the bucket, two a location paid): most shops' locations in
 * one call, and more from `after` the page's cursor (locations.server.ts), as an order read's
 * first 20 are read on from theirs.
 */
export const LOCATIONS_QUERY = `#graphql
  query Locations($after: String) {
    locations(first: 250, after: $after, includeLegacy: true) {
      nodes {
        ...ShopLocation
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
  ${SHOP_LOCATION_FRAGMENT}
`;

export const FULFILLMENT_ORDER_HOLD_MUTATION = `#graphql
  mutation FulfillmentOrderHold($id: ID!, $fulfillmentHold: FulfillmentOrderHoldInput!) {
    fulfillmentOrderHold(id: $id, fulfillmentHold: $fulfillmentHold) {
      fulfillmentHold {
        id
        handle
        reason
      }
      fulfillmentOrder {
        id
        status
        requestStatus
        fulfillmentHolds {
          id
          handle
          reason
          reasonNotes
          heldByRequestingApp
        }
        supportedActions {
          action
        }
      }
      remainingFulfillmentOrder {
        id
        status
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const FULFILLMENT_ORDER_RELEASE_HOLD_MUTATION = `#graphql
  mutation FulfillmentOrderReleaseHold($id: ID!, $holdIds: [ID!]) {
    fulfillmentOrderReleaseHold(id: $id, holdIds: $holdIds) {
      fulfillmentOrder {
        id
        status
        requestStatus
        fulfillmentHolds {
          id
          handle
          reason
          reasonNotes
          heldByRequestingApp
        }
        supportedActions {
          action
        }
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

/**
 * A fulfillment order as split and move return it: what the order read asks of one
 * (OrderSnapshotFulfillmentOrder, its fulfilment service included: the mutations declare
 * `$withFulfillmentServices` true) and its lines by their line item's id (the order's lines do not
 * change), so the executor plans the next round on the answer instead of reading the order again
 * (ADR 012). A mutation's payload objects are inside its 10 points; the line connection costs 2
 * plus 2 a line. Its size is the mutation's `$fulfillmentOrderLines`
 * (CHANGED_FULFILLMENT_ORDER_LINES): an answer that fills it is read again (after-step.ts). The
 * documents that spread it interpolate ORDER_SNAPSHOT_FULFILLMENT_ORDER_FRAGMENT too.
 */
const CHANGED_FULFILLMENT_ORDER_FRAGMENT = `#graphql
  fragment ChangedFulfillmentOrder on FulfillmentOrder {
    ...OrderSnapshotFulfillmentOrder
    lineItems(first: $fulfillmentOrderLines) {
      nodes {
        id
        remainingQuantity
        totalQuantity
        lineItem {
          id
        }
      }
    }
  }
`;

export const FULFILLMENT_ORDER_SPLIT_MUTATION = `#graphql
  mutation FulfillmentOrderSplit(
    $fulfillmentOrderSplits: [FulfillmentOrderSplitInput!]!
    $fulfillmentOrderLines: Int!
    $withFulfillmentServices: Boolean = true
  ) {
    fulfillmentOrderSplit(fulfillmentOrderSplits: $fulfillmentOrderSplits) {
      fulfillmentOrderSplits {
        fulfillmentOrder {
          ...ChangedFulfillmentOrder
        }
        remainingFulfillmentOrder {
          ...ChangedFulfillmentOrder
        }
        replacementFulfillmentOrder {
          id
        }
      }
      userErrors {
        field
        message
        code
      }
    }
  }
  ${CHANGED_FULFILLMENT_ORDER_FRAGMENT}
  ${ORDER_SNAPSHOT_FULFILLMENT_ORDER_FRAGMENT}
`;

export const FULFILLMENT_ORDER_MERGE_MUTATION = `#graphql
  mutation FulfillmentOrderMerge($fulfillmentOrderMergeInputs: [FulfillmentOrderMergeInput!]!) {
    fulfillmentOrderMerge(fulfillmentOrderMergeInputs: $fulfillmentOrderMergeInputs) {
      fulfillmentOrderMerges {
        fulfillmentOrder {
          id
          status
        }
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

/**
 * The moved fulfillment order in full (ChangedFulfillmentOrder). A whole move keeps the fulfillment
 * order's id, so the original is asked only for its id and status; a move of some lines
 * (`$fulfillmentOrderLineItems`) asks for the original in full too (`$withOriginalLines`), since the
 * lines left behind stay on it (ADR 030). When another fulfillment order of the order is at the
 * destination, which the mutation's description says the move may close and recreate, it also
 * asks for every fulfillment order of the order by id and status (`$withOrderFulfillmentOrders`,
 * `$orderFulfillmentOrders` of them: 2 points and 1 a fulfillment order, where reading the order
 * again cost about 40), so the executor sees which closed and which are new. An answer that does
 * not say where every line went is read again (after-step.ts).
 */
export const FULFILLMENT_ORDER_MOVE_MUTATION = `#graphql
  mutation FulfillmentOrderMove(
    $id: ID!
    $newLocationId: ID!
    $fulfillmentOrderLineItems: [FulfillmentOrderLineItemInput!]
    $fulfillmentOrderLines: Int!
    $withOriginalLines: Boolean!
    $withOrderFulfillmentOrders: Boolean = false
    $orderFulfillmentOrders: Int = 1
    $withFulfillmentServices: Boolean = true
  ) {
    fulfillmentOrderMove(
      id: $id
      newLocationId: $newLocationId
      fulfillmentOrderLineItems: $fulfillmentOrderLineItems
    ) {
      movedFulfillmentOrder {
        ...ChangedFulfillmentOrder
        order @include(if: $withOrderFulfillmentOrders) {
          fulfillmentOrders(first: $orderFulfillmentOrders) {
            nodes {
              id
              status
            }
          }
        }
      }
      originalFulfillmentOrder {
        id
        status
        ...ChangedFulfillmentOrder @include(if: $withOriginalLines)
      }
      remainingFulfillmentOrder {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
  ${CHANGED_FULFILLMENT_ORDER_FRAGMENT}
  ${ORDER_SNAPSHOT_FULFILLMENT_ORDER_FRAGMENT}
`;

export const FULFILLMENT_ORDER_SUBMIT_FULFILLMENT_REQUEST_MUTATION = `#graphql
  mutation FulfillmentOrderSubmitFulfillmentRequest($id: ID!, $message: String, $notifyCustomer: Boolean) {
    fulfillmentOrderSubmitFulfillmentRequest(id: $id, message: $message, notifyCustomer: $notifyCustomer) {
      submittedFulfillmentOrder {
        id
        status
        requestStatus
        fulfillmentHolds {
          id
          handle
          reason
          reasonNotes
          heldByRequestingApp
        }
        supportedActions {
          action
        }
      }
      unsubmittedFulfillmentOrder {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const FULFILLMENT_CREATE_MUTATION = `#graphql
  mutation FulfillmentCreate($fulfillment: FulfillmentInput!) {
    fulfillmentCreate(fulfillment: $fulfillment) {
      fulfillment {
        id
        status
        displayStatus
      }
      userErrors {
        field
        message
      }
    }
  }
`;

/** Takes back a request the fulfilment service has not accepted (or whose cancellation it ignores). */
export const FULFILLMENT_ORDER_CANCEL_MUTATION = `#graphql
  mutation FulfillmentOrderCancel($id: ID!) {
    fulfillmentOrderCancel(id: $id) {
      fulfillmentOrder {
        id
        status
        requestStatus
      }
      replacementFulfillmentOrder {
        id
        status
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

/** Asks the fulfilment service to give back work it accepted; it answers by webhook. */
export const FULFILLMENT_ORDER_SUBMIT_CANCELLATION_REQUEST_MUTATION = `#graphql
  mutation FulfillmentOrderSubmitCancellationRequest($id: ID!, $message: String) {
    fulfillmentOrderSubmitCancellationRequest(id: $id, message: $message) {
      fulfillmentOrder {
        id
        status
        requestStatus
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const ORDER_CAPTURE_MUTATION = `#graphql
  mutation OrderCapture($input: OrderCaptureInput!) {
    orderCapture(input: $input) {
      transaction {
        id
        kind
        status
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const TAGS_ADD_MUTATION = `#graphql
  mutation TagsAdd($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) {
      node {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const ORDER_NOTE_UPDATE_MUTATION = `#graphql
  mutation OrderNoteUpdate($input: OrderInput!) {
    orderUpdate(input: $input) {
      order {
        id
        note
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const ORDER_CLOSE_MUTATION = `#graphql
  mutation OrderClose($input: OrderCloseInput!) {
    orderClose(input: $input) {
      order {
        id
        closed
      }
      userErrors {
        field
        message
      }
    }
  }
`;

/** Cancels a whole order; Shopify answers with a job that does the work a moment later. */
export const ORDER_CANCEL_MUTATION = `#graphql
  mutation OrderCancel(
    $orderId: ID!
    $reason: OrderCancelReason!
    $refundMethod: OrderCancelRefundMethodInput
    $restock: Boolean!
    $notifyCustomer: Boolean
    $staffNote: String
  ) {
    orderCancel(
      orderId: $orderId
      reason: $reason
      refundMethod: $refundMethod
      restock: $restock
      notifyCustomer: $notifyCustomer
      staffNote: $staffNote
    ) {
      job {
        id
        done
      }
      jobResult {
        id
      }
      orderCancelUserErrors {
        field
        message
        code
      }
    }
  }
`;

/** A remake's replacement as a draft order (completed at once; see DRAFT_ORDER_COMPLETE_MUTATION). */
export const DRAFT_ORDER_CREATE_MUTATION = `#graphql
  mutation DraftOrderCreate($input: DraftOrderInput!) {
    draftOrderCreate(input: $input) {
      draftOrder {
        id
        name
      }
      userErrors {
        field
        message
      }
    }
  }
`;

/** Completes a draft as paid: Shopify places the order, which the rules then route like any. */
export const DRAFT_ORDER_COMPLETE_MUTATION = `#graphql
  mutation DraftOrderComplete($id: ID!) {
    draftOrderComplete(id: $id) {
      draftOrder {
        id
        status
        order {
          id
          name
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;

/** Deletes a draft order: a canceled order's open extra charge, whose invoice must no longer pay. */
export const DRAFT_ORDER_DELETE_MUTATION = `#graphql
  mutation DraftOrderDelete($input: DraftOrderDeleteInput!) {
    draftOrderDelete(input: $input) {
      deletedId
      userErrors {
        field
        message
      }
    }
  }
`;

/** E-mails a draft order's invoice to its customer (an extra charge), with the merchant's message. */
export const DRAFT_ORDER_INVOICE_SEND_MUTATION = `#graphql
  mutation DraftOrderInvoiceSend($id: ID!, $email: EmailInput) {
    draftOrderInvoiceSend(id: $id, email: $email) {
      draftOrder {
        id
        name
        status
        invoiceUrl
        invoiceSentAt
      }
      userErrors {
        field
        message
      }
    }
  }
`;

/** Takes tags off an order (an extra charge no longer waiting). */
export const TAGS_REMOVE_MUTATION = `#graphql
  mutation TagsRemove($id: ID!, $tags: [String!]!) {
    tagsRemove(id: $id, tags: $tags) {
      node {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;

/** Whether an extra charge's draft became an order, and whether that order is paid. */
export const EXTRA_CHARGE_DRAFT_QUERY = `#graphql
  query ExtraChargeDraft($id: ID!) {
    draftOrder(id: $id) {
      id
      status
      order {
        id
        name
        displayFinancialStatus
      }
    }
  }
`;

/**
 * The original as it stands just before the app tags and notes it: canceled meanwhile (then it is
 * left alone) and its note now (a line is appended to what is there, not to what was read before).
 */
export const ORIGINAL_LINK_QUERY = `#graphql
  query OriginalLink($id: ID!) {
    order(id: $id) {
      id
      cancelledAt
      note
    }
  }
`;

/** The newest drafts with a tag and their custom attributes: a draft whose creation's answer was lost. */
export const TAGGED_DRAFT_ORDERS_QUERY = `#graphql
  query TaggedDraftOrders($query: String!) {
    draftOrders(first: 25, query: $query, sortKey: ID, reverse: true) {
      nodes {
        id
        name
        status
        customAttributes {
          key
          value
        }
      }
    }
  }
`;

/** What a remake copies from the original order: each line's variant and properties, the customer and address. */
export const REMAKE_SOURCE_QUERY = `#graphql
  query RemakeSource($id: ID!, $lines: Int!) {
    order(id: $id) {
      id
      name
      email
      cancelledAt
      currencyCode
      presentmentCurrencyCode
      tags
      note
      shippingAddress {
        firstName
        lastName
        company
        address1
        address2
        city
        provinceCode
        zip
        countryCodeV2
        phone
      }
      lineItems(first: $lines) {
        nodes {
          id
          title
          variantTitle
          sku
          quantity
          variant {
            id
          }
          customAttributes {
            key
            value
          }
        }
      }
    }
  }
`;

/** Whether an asynchronous mutation's job has run, and how orderCancel's ended. */
export const ORDER_CANCEL_JOB_QUERY = `#graphql
  query OrderCancelJob($jobId: ID!, $resultId: ID!) {
    job(id: $jobId) {
      id
      done
    }
    node(id: $resultId) {
      ... on OrderCancelJobResult {
        status
        errors {
          field
          message
          code
        }
      }
    }
  }
`;

/** Which order a fulfillment order belongs to: fulfillment_orders/* webhooks carry only its id. */
export const FULFILLMENT_ORDER_ORDER_QUERY = `#graphql
  query FulfillmentOrderOrder($id: ID!) {
    fulfillmentOrder(id: $id) {
      id
      orderId
    }
  }
`;

/**
 * Where fulfillment orders the queue shows waiting on their lab stand on Shopify: reconciliation
 * finds a lab's answer whose webhook never came.
 */
export const AWAITED_FULFILLMENT_ORDERS_QUERY = `#graphql
  query AwaitedFulfillmentOrders($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on FulfillmentOrder {
        id
        orderId
        status
        requestStatus
      }
    }
  }
`;

/** Starts the merchant's Shopify Flow workflows that begin with one of the app's triggers. */
export const FLOW_TRIGGER_RECEIVE_MUTATION = `#graphql
  mutation FlowTriggerReceive($handle: String!, $payload: JSON!) {
    flowTriggerReceive(handle: $handle, payload: $payload) {
      userErrors {
        field
        message
      }
    }
  }
`;

/**
 * Subscribes the shop to one topic at the app's address (a shop-specific subscription, ADR 101):
 * the toml's subscriptions are every shop's, and inventory_levels/update is wanted only by a shop
 * whose rules split by stock.
 */
export const WEBHOOK_SUBSCRIPTION_CREATE_MUTATION = `#graphql
  mutation WebhookSubscriptionCreate(
    $topic: WebhookSubscriptionTopic!
    $webhookSubscription: WebhookSubscriptionInput!
  ) {
    webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
      webhookSubscription {
        id
        uri
      }
      userErrors {
        field
        message
      }
    }
  }
`;

/** Ends a shop-specific subscription the app made (ADR 101). */
export const WEBHOOK_SUBSCRIPTION_DELETE_MUTATION = `#graphql
  mutation WebhookSubscriptionDelete($id: ID!) {
    webhookSubscriptionDelete(id: $id) {
      deletedWebhookSubscriptionId
      userErrors {
        field
        message
      }
    }
  }
`;

/**
 * The app's own subscriptions of the shop to one topic (the toml's are not listed): a subscription
 * Shopify made but whose answer was lost is found here rather than made twice (ADR 101).
 */
export const WEBHOOK_SUBSCRIPTIONS_QUERY = `#graphql
  query WebhookSubscriptions($topics: [WebhookSubscriptionTopic!]) {
    webhookSubscriptions(first: 25, topics: $topics) {
      nodes {
        id
        uri
      }
    }
  }
`;

/** Every open fulfillment order of the shop, lightly: the stuck-request scan pages through these. */
/**
 * The open fulfillment orders at one location (a lab's), 250 a page. Only fields of the
 * fulfillment order itself: one point a node, so a page costs about 252 points and 10,000
 * fulfillment orders at labs take 40 pages (the caller knows the location it asked for).
 */
export const LOCATION_FULFILLMENT_ORDERS_QUERY = `#graphql
  query LocationFulfillmentOrders($after: String, $query: String!) {
    fulfillmentOrders(first: 250, after: $after, includeClosed: false, query: $query) {
      nodes {
        id
        orderId
        orderName
        status
        requestStatus
        updatedAt
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/**
 * What Shopify allows now on fulfillment orders whose cancellation a lab refused: read apart from
 * the location's pages (which would cost twice as much with it) since few ever stand there.
 */
export const FULFILLMENT_ORDER_ACTIONS_QUERY = `#graphql
  query FulfillmentOrderActions($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on FulfillmentOrder {
        id
        supportedActions {
          action
        }
      }
    }
  }
`;

const STUCK_LINE_FRAGMENT = `#graphql
  fragment StuckLine on FulfillmentOrderLineItem {
    remainingQuantity
    lineItem {
      id
      requiresShipping
      variant {
        selectedOptions {
          name
          value
        }
      }
      product {
        productType
      }
    }
  }
`;

/**
 * What a stuck fulfillment order's lines are, for the shop's capability profiles: its default
 * re-route goes only where every line can be made. Read for stuck fulfillment orders alone, and
 * only in a shop with profiles; a fulfillment order with more lines than the first page is read
 * on with STUCK_FULFILLMENT_ORDER_LINES_PAGE_QUERY (a line left unread could be one no location
 * in the default can make).
 */
export const STUCK_FULFILLMENT_ORDER_LINES_QUERY = `#graphql
  ${STUCK_LINE_FRAGMENT}
  query StuckFulfillmentOrderLines($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on FulfillmentOrder {
        id
        lineItems(first: 20) {
          nodes {
            ...StuckLine
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
    }
  }
`;

/** A stuck fulfillment order's lines after the first page's cursor. */
export const STUCK_FULFILLMENT_ORDER_LINES_PAGE_QUERY = `#graphql
  ${STUCK_LINE_FRAGMENT}
  query StuckFulfillmentOrderLinesPage($id: ID!, $after: String!) {
    fulfillmentOrder(id: $id) {
      lineItems(first: 50, after: $after) {
        nodes {
          ...StuckLine
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

/**
 * Where Shopify says a fulfillment order may move (locationsForMove): every location, the current
 * one included, each with whether the move is allowed and, when not, Shopify's reason. A stuck
 * request's Re-route offers these and no others; the "shipped but unfulfilled" repair takes the
 * first of the merchant's own that Shopify allows. 50 a page: each costs about 3 points.
 */
/**
 * What Shopify allows before the router applies a plan that moves or merges (ADR 094): for each
 * fulfillment order the plan moves or merges, its locationsForMove for the locations the rules may
 * send it to (with the lines it would move to each), and the fulfillment orders it may merge with.
 * `$locations` and `$lines` are the counts asked for, so the query costs what the order needs.
 */
export const FULFILLMENT_ORDERS_SHOPIFY_ALLOWS_QUERY = `#graphql
  query FulfillmentOrdersShopifyAllows(
    $ids: [ID!]!
    $locationIds: [ID!]!
    $locations: Int!
    $lines: Int!
    $move: Boolean!
    $merge: Boolean!
  ) {
    nodes(ids: $ids) {
      ... on FulfillmentOrder {
        id
        locationsForMove(first: $locations, locationIds: $locationIds) @include(if: $move) {
          nodes {
            movable
            message
            location {
              id
            }
            availableLineItems(first: $lines) {
              nodes {
                id
              }
            }
          }
        }
        fulfillmentOrdersForMerge(first: 50) @include(if: $merge) {
          nodes {
            id
          }
        }
      }
    }
  }
`;

export const FULFILLMENT_ORDER_LOCATIONS_FOR_MOVE_QUERY = `#graphql
  query FulfillmentOrderLocationsForMove($id: ID!, $after: String) {
    fulfillmentOrder(id: $id) {
      id
      assignedLocation {
        location {
          id
        }
      }
      locationsForMove(first: 50, after: $after) {
        nodes {
          movable
          message
          location {
            id
            name
            isActive
            fulfillmentService {
              handle
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

/** The fulfillment orders a lab reported on, closed ones included, with the order's line counts. */
export const REPORTED_FULFILLMENT_ORDERS_QUERY = `#graphql
  query ReportedFulfillmentOrders($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on FulfillmentOrder {
        id
        orderId
        orderName
        status
        requestStatus
        updatedAt
        assignedLocation {
          name
          location {
            id
          }
        }
        lineItems(first: 20) {
          nodes {
            totalQuantity
            remainingQuantity
            lineItem {
              id
              title
              quantity
              unfulfilledQuantity
            }
          }
        }
      }
    }
  }
`;

/**
 * Takes lines off an order and gives money back (a partial cancel): each line cancelled with its
 * stock back at a location (restockType CANCEL) or not restocked, the money to the original
 * payment (refund transactions) or as store credit (refundMethods), the customer told or not.
 * `$key` is required since 2026-04 ("the idempotency key is required and must be provided using
 * the `@idempotent` directive"): the executor sends the Step's key, so a Step sent again (a retry,
 * a double click) is answered with the first refund instead of refunding twice (ADR 078).
 */
export const REFUND_CREATE_MUTATION = `#graphql
  mutation RefundCreate($input: RefundInput!, $key: String!) {
    refundCreate(input: $input) @idempotent(key: $key) {
      refund {
        id
        totalRefundedSet {
          shopMoney {
            amount
            currencyCode
          }
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;

/**
 * What a refund may give back: the payments taken and what was refunded, in the customer's
 * (presentment) currency: RefundInput's amounts are in it (ADR 078). The lines' price is not read
 * here: a refund in full takes Shopify's own suggestion for them, tax included (ADR 082).
 */
export const ORDER_REFUND_FACTS_QUERY = `#graphql
  query OrderRefundFacts($id: ID!) {
    order(id: $id) {
      id
      presentmentCurrencyCode
      totalReceivedSet {
        presentmentMoney {
          amount
        }
      }
      totalRefundedSet {
        presentmentMoney {
          amount
        }
      }
      transactions(first: 20) {
        id
        kind
        status
        gateway
        amountSet {
          presentmentMoney {
            amount
          }
        }
        parentTransaction {
          id
        }
      }
    }
  }
`;

/**
 * What Shopify would refuse a cancel or a refund for, read when the cancel dialogs open and again
 * right before the action, never with the order the rules route (ADR 095): an active return
 * (orderCancel's "no active returns in progress"), a B2B order (no store credit), and whether each
 * open fulfillment order's location is still active (no restock at a deactivated one). Which
 * lines a fulfillment order carries comes from the order as the app reads it anyway.
 */
export const ORDER_CANCEL_CHECK_QUERY = `#graphql
  query OrderCancelCheck($id: ID!) {
    order(id: $id) {
      id
      returnStatus
      displayFinancialStatus
      purchasingEntity {
        __typename
        ... on PurchasingCompany {
          company {
            name
          }
        }
      }
      fulfillmentOrders(first: 50) {
        nodes {
          id
          status
          assignedLocation {
            name
            location {
              id
              isActive
            }
          }
        }
      }
    }
  }
`;

/**
 * What Shopify would give back for canceled items (Order.suggestedRefund: "preview refund amounts,
 * taxes, and processing fees before creating an actual refund"): their price and the tax that goes
 * with them, at most what is left to refund, and the payments it goes back through, in the
 * customer's currency. Read only when the merchant refunds in full (the dialog's amount, and the
 * refund itself), never with the order (ADR 082).
 */
export const ORDER_SUGGESTED_REFUND_QUERY = `#graphql
  query OrderSuggestedRefund($id: ID!, $refundLineItems: [RefundLineItemInput!]!) {
    order(id: $id) {
      id
      presentmentCurrencyCode
      suggestedRefund(refundLineItems: $refundLineItems) {
        amountSet {
          presentmentMoney {
            amount
          }
        }
        subtotalSet {
          presentmentMoney {
            amount
          }
        }
        totalTaxSet {
          presentmentMoney {
            amount
          }
        }
        suggestedTransactions {
          gateway
          amountSet {
            presentmentMoney {
              amount
            }
          }
          parentTransaction {
            id
          }
        }
      }
    }
  }
`;
