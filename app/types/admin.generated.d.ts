/* eslint-disable eslint-comments/disable-enable-pair */
/* eslint-disable eslint-comments/no-unlimited-disable */
/* eslint-disable */
import type * as AdminTypes from './admin.types.js';

export type OrderSnapshotOrderFragment = (
  Pick<AdminTypes.Order, 'id' | 'name' | 'createdAt' | 'updatedAt' | 'tags' | 'note' | 'closed' | 'cancelledAt' | 'displayFinancialStatus' | 'capturable' | 'sourceName' | 'paymentGatewayNames'>
  & { totalPriceSet?: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalOutstandingSet?: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount'> }, netPaymentSet?: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, risk: (
    Pick<AdminTypes.OrderRiskSummary, 'recommendation'>
    & { assessments: Array<Pick<AdminTypes.OrderRiskAssessment, 'riskLevel'>> }
  ), shippingAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'countryCodeV2' | 'provinceCode'>>, shippingLine?: AdminTypes.Maybe<Pick<AdminTypes.ShippingLine, 'title' | 'code'>>, customer?: AdminTypes.Maybe<Pick<AdminTypes.Customer, 'id' | 'displayName' | 'tags'>>, transactions: Array<(
    Pick<AdminTypes.OrderTransaction, 'id' | 'kind' | 'status' | 'authorizationExpiresAt' | 'createdAt' | 'gateway'>
    & { totalUnsettledSet?: AdminTypes.Maybe<{ presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }> }
  )>, fulfillments: Array<Pick<AdminTypes.Fulfillment, 'id' | 'displayStatus'>> }
);

export type OrderSnapshotLineFragment = (
  Pick<AdminTypes.LineItem, 'id' | 'name' | 'title' | 'variantTitle' | 'sku' | 'quantity' | 'unfulfilledQuantity' | 'requiresShipping' | 'isGiftCard' | 'vendor'>
  & { customAttributes: Array<Pick<AdminTypes.Attribute, 'key' | 'value'>>, variant?: AdminTypes.Maybe<(
    Pick<AdminTypes.ProductVariant, 'id'>
    & { selectedOptions: Array<Pick<AdminTypes.SelectedOption, 'name' | 'value'>> }
  )>, product?: AdminTypes.Maybe<Pick<AdminTypes.Product, 'id' | 'productType' | 'tags'>> }
);

export type OrderSnapshotFulfillmentOrderFragment = (
  Pick<AdminTypes.FulfillmentOrder, 'id' | 'status' | 'requestStatus' | 'updatedAt'>
  & { assignedLocation: (
    Pick<AdminTypes.FulfillmentOrderAssignedLocation, 'name'>
    & { location?: AdminTypes.Maybe<(
      Pick<AdminTypes.Location, 'id'>
      & { fulfillmentService?: AdminTypes.Maybe<Pick<AdminTypes.FulfillmentService, 'handle' | 'serviceName'>> }
    )> }
  ), supportedActions: Array<Pick<AdminTypes.FulfillmentOrderSupportedAction, 'action'>>, fulfillmentHolds: Array<Pick<AdminTypes.FulfillmentHold, 'id' | 'handle' | 'reason' | 'reasonNotes' | 'heldByRequestingApp'>> }
);

export type ShopLocationFragment = (
  Pick<AdminTypes.Location, 'id' | 'name' | 'isActive'>
  & { fulfillmentService?: AdminTypes.Maybe<Pick<AdminTypes.FulfillmentService, 'handle' | 'serviceName'>> }
);

export type OrderSnapshotQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  lines: AdminTypes.Scalars['Int']['input'];
  fulfillmentOrders: AdminTypes.Scalars['Int']['input'];
  fulfillmentOrderLines: AdminTypes.Scalars['Int']['input'];
  withLocations?: AdminTypes.InputMaybe<AdminTypes.Scalars['Boolean']['input']>;
  withTotal?: AdminTypes.InputMaybe<AdminTypes.Scalars['Boolean']['input']>;
  withOutstanding?: AdminTypes.InputMaybe<AdminTypes.Scalars['Boolean']['input']>;
  withShippingAddress?: AdminTypes.InputMaybe<AdminTypes.Scalars['Boolean']['input']>;
  withShippingLine?: AdminTypes.InputMaybe<AdminTypes.Scalars['Boolean']['input']>;
  withCatalogue?: AdminTypes.InputMaybe<AdminTypes.Scalars['Boolean']['input']>;
  withFulfillmentServices?: AdminTypes.InputMaybe<AdminTypes.Scalars['Boolean']['input']>;
}>;


export type OrderSnapshotQuery = { order?: AdminTypes.Maybe<(
    Pick<AdminTypes.Order, 'id' | 'name' | 'createdAt' | 'updatedAt' | 'tags' | 'note' | 'closed' | 'cancelledAt' | 'displayFinancialStatus' | 'capturable' | 'sourceName' | 'paymentGatewayNames'>
    & { lineItems: { nodes: Array<(
        Pick<AdminTypes.LineItem, 'id' | 'name' | 'title' | 'variantTitle' | 'sku' | 'quantity' | 'unfulfilledQuantity' | 'requiresShipping' | 'isGiftCard' | 'vendor'>
        & { customAttributes: Array<Pick<AdminTypes.Attribute, 'key' | 'value'>>, variant?: AdminTypes.Maybe<(
          Pick<AdminTypes.ProductVariant, 'id'>
          & { selectedOptions: Array<Pick<AdminTypes.SelectedOption, 'name' | 'value'>> }
        )>, product?: AdminTypes.Maybe<Pick<AdminTypes.Product, 'id' | 'productType' | 'tags'>> }
      )> }, fulfillmentOrders: { nodes: Array<(
        Pick<AdminTypes.FulfillmentOrder, 'id' | 'status' | 'requestStatus' | 'updatedAt'>
        & { lineItems: { nodes: Array<(
            Pick<AdminTypes.FulfillmentOrderLineItem, 'id' | 'remainingQuantity' | 'totalQuantity'>
            & { lineItem: Pick<AdminTypes.LineItem, 'id'> }
          )> }, assignedLocation: (
          Pick<AdminTypes.FulfillmentOrderAssignedLocation, 'name'>
          & { location?: AdminTypes.Maybe<(
            Pick<AdminTypes.Location, 'id'>
            & { fulfillmentService?: AdminTypes.Maybe<Pick<AdminTypes.FulfillmentService, 'handle' | 'serviceName'>> }
          )> }
        ), supportedActions: Array<Pick<AdminTypes.FulfillmentOrderSupportedAction, 'action'>>, fulfillmentHolds: Array<Pick<AdminTypes.FulfillmentHold, 'id' | 'handle' | 'reason' | 'reasonNotes' | 'heldByRequestingApp'>> }
      )> }, totalPriceSet?: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalOutstandingSet?: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount'> }, netPaymentSet?: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, risk: (
      Pick<AdminTypes.OrderRiskSummary, 'recommendation'>
      & { assessments: Array<Pick<AdminTypes.OrderRiskAssessment, 'riskLevel'>> }
    ), shippingAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'countryCodeV2' | 'provinceCode'>>, shippingLine?: AdminTypes.Maybe<Pick<AdminTypes.ShippingLine, 'title' | 'code'>>, customer?: AdminTypes.Maybe<Pick<AdminTypes.Customer, 'id' | 'displayName' | 'tags'>>, transactions: Array<(
      Pick<AdminTypes.OrderTransaction, 'id' | 'kind' | 'status' | 'authorizationExpiresAt' | 'createdAt' | 'gateway'>
      & { totalUnsettledSet?: AdminTypes.Maybe<{ presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }> }
    )>, fulfillments: Array<Pick<AdminTypes.Fulfillment, 'id' | 'displayStatus'>> }
  )>, locations?: { nodes: Array<(
      Pick<AdminTypes.Location, 'id' | 'name' | 'isActive'>
      & { fulfillmentService?: AdminTypes.Maybe<Pick<AdminTypes.FulfillmentService, 'handle' | 'serviceName'>> }
    )>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } };

export type RoutingFulfillmentOrderLineFragment = (
  Pick<AdminTypes.FulfillmentOrderLineItem, 'id' | 'remainingQuantity' | 'totalQuantity' | 'inventoryItemId'>
  & { lineItem: (
    Pick<AdminTypes.LineItem, 'id' | 'name' | 'title' | 'variantTitle' | 'sku' | 'quantity' | 'unfulfilledQuantity' | 'requiresShipping' | 'isGiftCard' | 'vendor'>
    & { customAttributes: Array<Pick<AdminTypes.Attribute, 'key' | 'value'>>, variant?: AdminTypes.Maybe<(
      Pick<AdminTypes.ProductVariant, 'id'>
      & { selectedOptions: Array<Pick<AdminTypes.SelectedOption, 'name' | 'value'>> }
    )>, product?: AdminTypes.Maybe<Pick<AdminTypes.Product, 'id' | 'productType' | 'tags'>> }
  ) }
);

export type RoutingFulfillmentOrderFragment = (
  Pick<AdminTypes.FulfillmentOrder, 'id' | 'status' | 'requestStatus' | 'updatedAt'>
  & { lineItems: { nodes: Array<(
      Pick<AdminTypes.FulfillmentOrderLineItem, 'id' | 'remainingQuantity' | 'totalQuantity' | 'inventoryItemId'>
      & { lineItem: (
        Pick<AdminTypes.LineItem, 'id' | 'name' | 'title' | 'variantTitle' | 'sku' | 'quantity' | 'unfulfilledQuantity' | 'requiresShipping' | 'isGiftCard' | 'vendor'>
        & { customAttributes: Array<Pick<AdminTypes.Attribute, 'key' | 'value'>>, variant?: AdminTypes.Maybe<(
          Pick<AdminTypes.ProductVariant, 'id'>
          & { selectedOptions: Array<Pick<AdminTypes.SelectedOption, 'name' | 'value'>> }
        )>, product?: AdminTypes.Maybe<Pick<AdminTypes.Product, 'id' | 'productType' | 'tags'>> }
      ) }
    )>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> }, assignedLocation: (
    Pick<AdminTypes.FulfillmentOrderAssignedLocation, 'name'>
    & { location?: AdminTypes.Maybe<(
      Pick<AdminTypes.Location, 'id'>
      & { fulfillmentService?: AdminTypes.Maybe<Pick<AdminTypes.FulfillmentService, 'handle' | 'serviceName'>> }
    )> }
  ), supportedActions: Array<Pick<AdminTypes.FulfillmentOrderSupportedAction, 'action'>>, fulfillmentHolds: Array<Pick<AdminTypes.FulfillmentHold, 'id' | 'handle' | 'reason' | 'reasonNotes' | 'heldByRequestingApp'>> }
);

export type OrderRoutingSnapshotQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  fulfillmentOrders: AdminTypes.Scalars['Int']['input'];
  fulfillmentOrderLines: AdminTypes.Scalars['Int']['input'];
  withLocations?: AdminTypes.InputMaybe<AdminTypes.Scalars['Boolean']['input']>;
  withTotal?: AdminTypes.InputMaybe<AdminTypes.Scalars['Boolean']['input']>;
  withOutstanding?: AdminTypes.InputMaybe<AdminTypes.Scalars['Boolean']['input']>;
  withShippingAddress?: AdminTypes.InputMaybe<AdminTypes.Scalars['Boolean']['input']>;
  withShippingLine?: AdminTypes.InputMaybe<AdminTypes.Scalars['Boolean']['input']>;
  withCatalogue?: AdminTypes.InputMaybe<AdminTypes.Scalars['Boolean']['input']>;
  withFulfillmentServices?: AdminTypes.InputMaybe<AdminTypes.Scalars['Boolean']['input']>;
}>;


export type OrderRoutingSnapshotQuery = { order?: AdminTypes.Maybe<(
    Pick<AdminTypes.Order, 'id' | 'name' | 'createdAt' | 'updatedAt' | 'tags' | 'note' | 'closed' | 'cancelledAt' | 'displayFinancialStatus' | 'capturable' | 'sourceName' | 'paymentGatewayNames'>
    & { fulfillmentOrders: { nodes: Array<(
        Pick<AdminTypes.FulfillmentOrder, 'id' | 'status' | 'requestStatus' | 'updatedAt'>
        & { lineItems: { nodes: Array<(
            Pick<AdminTypes.FulfillmentOrderLineItem, 'id' | 'remainingQuantity' | 'totalQuantity' | 'inventoryItemId'>
            & { lineItem: (
              Pick<AdminTypes.LineItem, 'id' | 'name' | 'title' | 'variantTitle' | 'sku' | 'quantity' | 'unfulfilledQuantity' | 'requiresShipping' | 'isGiftCard' | 'vendor'>
              & { customAttributes: Array<Pick<AdminTypes.Attribute, 'key' | 'value'>>, variant?: AdminTypes.Maybe<(
                Pick<AdminTypes.ProductVariant, 'id'>
                & { selectedOptions: Array<Pick<AdminTypes.SelectedOption, 'name' | 'value'>> }
              )>, product?: AdminTypes.Maybe<Pick<AdminTypes.Product, 'id' | 'productType' | 'tags'>> }
            ) }
          )>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> }, assignedLocation: (
          Pick<AdminTypes.FulfillmentOrderAssignedLocation, 'name'>
          & { location?: AdminTypes.Maybe<(
            Pick<AdminTypes.Location, 'id'>
            & { fulfillmentService?: AdminTypes.Maybe<Pick<AdminTypes.FulfillmentService, 'handle' | 'serviceName'>> }
          )> }
        ), supportedActions: Array<Pick<AdminTypes.FulfillmentOrderSupportedAction, 'action'>>, fulfillmentHolds: Array<Pick<AdminTypes.FulfillmentHold, 'id' | 'handle' | 'reason' | 'reasonNotes' | 'heldByRequestingApp'>> }
      )>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> }, totalPriceSet?: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, totalOutstandingSet?: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount'> }, netPaymentSet?: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }, risk: (
      Pick<AdminTypes.OrderRiskSummary, 'recommendation'>
      & { assessments: Array<Pick<AdminTypes.OrderRiskAssessment, 'riskLevel'>> }
    ), shippingAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'countryCodeV2' | 'provinceCode'>>, shippingLine?: AdminTypes.Maybe<Pick<AdminTypes.ShippingLine, 'title' | 'code'>>, customer?: AdminTypes.Maybe<Pick<AdminTypes.Customer, 'id' | 'displayName' | 'tags'>>, transactions: Array<(
      Pick<AdminTypes.OrderTransaction, 'id' | 'kind' | 'status' | 'authorizationExpiresAt' | 'createdAt' | 'gateway'>
      & { totalUnsettledSet?: AdminTypes.Maybe<{ presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> }> }
    )>, fulfillments: Array<Pick<AdminTypes.Fulfillment, 'id' | 'displayStatus'>> }
  )>, locations?: { nodes: Array<(
      Pick<AdminTypes.Location, 'id' | 'name' | 'isActive'>
      & { fulfillmentService?: AdminTypes.Maybe<Pick<AdminTypes.FulfillmentService, 'handle' | 'serviceName'>> }
    )>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } };

export type OrderFulfillmentOrdersPageQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  after: AdminTypes.Scalars['String']['input'];
  fulfillmentOrders: AdminTypes.Scalars['Int']['input'];
  fulfillmentOrderLines: AdminTypes.Scalars['Int']['input'];
  withCatalogue?: AdminTypes.InputMaybe<AdminTypes.Scalars['Boolean']['input']>;
  withFulfillmentServices?: AdminTypes.InputMaybe<AdminTypes.Scalars['Boolean']['input']>;
}>;


export type OrderFulfillmentOrdersPageQuery = { order?: AdminTypes.Maybe<(
    Pick<AdminTypes.Order, 'id'>
    & { fulfillmentOrders: { nodes: Array<(
        Pick<AdminTypes.FulfillmentOrder, 'id' | 'status' | 'requestStatus' | 'updatedAt'>
        & { lineItems: { nodes: Array<(
            Pick<AdminTypes.FulfillmentOrderLineItem, 'id' | 'remainingQuantity' | 'totalQuantity' | 'inventoryItemId'>
            & { lineItem: (
              Pick<AdminTypes.LineItem, 'id' | 'name' | 'title' | 'variantTitle' | 'sku' | 'quantity' | 'unfulfilledQuantity' | 'requiresShipping' | 'isGiftCard' | 'vendor'>
              & { customAttributes: Array<Pick<AdminTypes.Attribute, 'key' | 'value'>>, variant?: AdminTypes.Maybe<(
                Pick<AdminTypes.ProductVariant, 'id'>
                & { selectedOptions: Array<Pick<AdminTypes.SelectedOption, 'name' | 'value'>> }
              )>, product?: AdminTypes.Maybe<Pick<AdminTypes.Product, 'id' | 'productType' | 'tags'>> }
            ) }
          )>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> }, assignedLocation: (
          Pick<AdminTypes.FulfillmentOrderAssignedLocation, 'name'>
          & { location?: AdminTypes.Maybe<(
            Pick<AdminTypes.Location, 'id'>
            & { fulfillmentService?: AdminTypes.Maybe<Pick<AdminTypes.FulfillmentService, 'handle' | 'serviceName'>> }
          )> }
        ), supportedActions: Array<Pick<AdminTypes.FulfillmentOrderSupportedAction, 'action'>>, fulfillmentHolds: Array<Pick<AdminTypes.FulfillmentHold, 'id' | 'handle' | 'reason' | 'reasonNotes' | 'heldByRequestingApp'>> }
      )>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } }
  )> };

export type FulfillmentOrderLinesPageQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  after: AdminTypes.Scalars['String']['input'];
  fulfillmentOrderLines: AdminTypes.Scalars['Int']['input'];
  withCatalogue?: AdminTypes.InputMaybe<AdminTypes.Scalars['Boolean']['input']>;
}>;


export type FulfillmentOrderLinesPageQuery = { fulfillmentOrder?: AdminTypes.Maybe<(
    Pick<AdminTypes.FulfillmentOrder, 'id'>
    & { lineItems: { nodes: Array<(
        Pick<AdminTypes.FulfillmentOrderLineItem, 'id' | 'remainingQuantity' | 'totalQuantity' | 'inventoryItemId'>
        & { lineItem: (
          Pick<AdminTypes.LineItem, 'id' | 'name' | 'title' | 'variantTitle' | 'sku' | 'quantity' | 'unfulfilledQuantity' | 'requiresShipping' | 'isGiftCard' | 'vendor'>
          & { customAttributes: Array<Pick<AdminTypes.Attribute, 'key' | 'value'>>, variant?: AdminTypes.Maybe<(
            Pick<AdminTypes.ProductVariant, 'id'>
            & { selectedOptions: Array<Pick<AdminTypes.SelectedOption, 'name' | 'value'>> }
          )>, product?: AdminTypes.Maybe<Pick<AdminTypes.Product, 'id' | 'productType' | 'tags'>> }
        ) }
      )>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } }
  )> };

export type CatalogueItemsQueryVariables = AdminTypes.Exact<{
  ids: Array<AdminTypes.Scalars['ID']['input']> | AdminTypes.Scalars['ID']['input'];
}>;


export type CatalogueItemsQuery = { nodes: Array<AdminTypes.Maybe<(
    Pick<AdminTypes.InventoryItem, 'id'>
    & { variants?: AdminTypes.Maybe<{ nodes: Array<(
        Pick<AdminTypes.ProductVariant, 'id'>
        & { selectedOptions: Array<Pick<AdminTypes.SelectedOption, 'name' | 'value'>>, product: Pick<AdminTypes.Product, 'id' | 'productType' | 'tags'> }
      )> }> }
  )>> };

export type StockAtLocationQueryVariables = AdminTypes.Exact<{
  ids: Array<AdminTypes.Scalars['ID']['input']> | AdminTypes.Scalars['ID']['input'];
  locationId: AdminTypes.Scalars['ID']['input'];
}>;


export type StockAtLocationQuery = { nodes: Array<AdminTypes.Maybe<(
    Pick<AdminTypes.InventoryItem, 'id' | 'tracked'>
    & { inventoryLevel?: AdminTypes.Maybe<{ quantities: Array<Pick<AdminTypes.InventoryQuantity, 'name' | 'quantity'>> }> }
  )>> };

export type PaidOrdersSinceQueryVariables = AdminTypes.Exact<{
  query: AdminTypes.Scalars['String']['input'];
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type PaidOrdersSinceQuery = { orders: { nodes: Array<Pick<AdminTypes.Order, 'id' | 'name' | 'updatedAt'>>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } };

export type HeldFulfillmentOrdersSinceQueryVariables = AdminTypes.Exact<{
  query: AdminTypes.Scalars['String']['input'];
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type HeldFulfillmentOrdersSinceQuery = { fulfillmentOrders: { nodes: Array<(
      Pick<AdminTypes.FulfillmentOrder, 'id' | 'orderId' | 'updatedAt'>
      & { fulfillmentHolds: Array<Pick<AdminTypes.FulfillmentHold, 'handle' | 'heldByRequestingApp'>> }
    )>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } };

export type LocationsQueryVariables = AdminTypes.Exact<{
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type LocationsQuery = { locations: { nodes: Array<(
      Pick<AdminTypes.Location, 'id' | 'name' | 'isActive'>
      & { fulfillmentService?: AdminTypes.Maybe<Pick<AdminTypes.FulfillmentService, 'handle' | 'serviceName'>> }
    )>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } };

export type FulfillmentOrderHoldMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  fulfillmentHold: AdminTypes.FulfillmentOrderHoldInput;
}>;


export type FulfillmentOrderHoldMutation = { fulfillmentOrderHold?: AdminTypes.Maybe<{ fulfillmentHold?: AdminTypes.Maybe<Pick<AdminTypes.FulfillmentHold, 'id' | 'handle' | 'reason'>>, fulfillmentOrder?: AdminTypes.Maybe<(
      Pick<AdminTypes.FulfillmentOrder, 'id' | 'status' | 'requestStatus'>
      & { fulfillmentHolds: Array<Pick<AdminTypes.FulfillmentHold, 'id' | 'handle' | 'reason' | 'reasonNotes' | 'heldByRequestingApp'>>, supportedActions: Array<Pick<AdminTypes.FulfillmentOrderSupportedAction, 'action'>> }
    )>, remainingFulfillmentOrder?: AdminTypes.Maybe<Pick<AdminTypes.FulfillmentOrder, 'id' | 'status'>>, userErrors: Array<Pick<AdminTypes.FulfillmentOrderHoldUserError, 'field' | 'message' | 'code'>> }> };

export type FulfillmentOrderReleaseHoldMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  holdIds?: AdminTypes.InputMaybe<Array<AdminTypes.Scalars['ID']['input']> | AdminTypes.Scalars['ID']['input']>;
}>;


export type FulfillmentOrderReleaseHoldMutation = { fulfillmentOrderReleaseHold?: AdminTypes.Maybe<{ fulfillmentOrder?: AdminTypes.Maybe<(
      Pick<AdminTypes.FulfillmentOrder, 'id' | 'status' | 'requestStatus'>
      & { fulfillmentHolds: Array<Pick<AdminTypes.FulfillmentHold, 'id' | 'handle' | 'reason' | 'reasonNotes' | 'heldByRequestingApp'>>, supportedActions: Array<Pick<AdminTypes.FulfillmentOrderSupportedAction, 'action'>> }
    )>, userErrors: Array<Pick<AdminTypes.FulfillmentOrderReleaseHoldUserError, 'field' | 'message' | 'code'>> }> };

export type ChangedFulfillmentOrderFragment = (
  Pick<AdminTypes.FulfillmentOrder, 'id' | 'status' | 'requestStatus' | 'updatedAt'>
  & { lineItems: { nodes: Array<(
      Pick<AdminTypes.FulfillmentOrderLineItem, 'id' | 'remainingQuantity' | 'totalQuantity'>
      & { lineItem: Pick<AdminTypes.LineItem, 'id'> }
    )> }, assignedLocation: (
    Pick<AdminTypes.FulfillmentOrderAssignedLocation, 'name'>
    & { location?: AdminTypes.Maybe<(
      Pick<AdminTypes.Location, 'id'>
      & { fulfillmentService?: AdminTypes.Maybe<Pick<AdminTypes.FulfillmentService, 'handle' | 'serviceName'>> }
    )> }
  ), supportedActions: Array<Pick<AdminTypes.FulfillmentOrderSupportedAction, 'action'>>, fulfillmentHolds: Array<Pick<AdminTypes.FulfillmentHold, 'id' | 'handle' | 'reason' | 'reasonNotes' | 'heldByRequestingApp'>> }
);

export type FulfillmentOrderSplitMutationVariables = AdminTypes.Exact<{
  fulfillmentOrderSplits: Array<AdminTypes.FulfillmentOrderSplitInput> | AdminTypes.FulfillmentOrderSplitInput;
  fulfillmentOrderLines: AdminTypes.Scalars['Int']['input'];
  withFulfillmentServices?: AdminTypes.InputMaybe<AdminTypes.Scalars['Boolean']['input']>;
}>;


export type FulfillmentOrderSplitMutation = { fulfillmentOrderSplit?: AdminTypes.Maybe<{ fulfillmentOrderSplits?: AdminTypes.Maybe<Array<{ fulfillmentOrder: (
        Pick<AdminTypes.FulfillmentOrder, 'id' | 'status' | 'requestStatus' | 'updatedAt'>
        & { lineItems: { nodes: Array<(
            Pick<AdminTypes.FulfillmentOrderLineItem, 'id' | 'remainingQuantity' | 'totalQuantity'>
            & { lineItem: Pick<AdminTypes.LineItem, 'id'> }
          )> }, assignedLocation: (
          Pick<AdminTypes.FulfillmentOrderAssignedLocation, 'name'>
          & { location?: AdminTypes.Maybe<(
            Pick<AdminTypes.Location, 'id'>
            & { fulfillmentService?: AdminTypes.Maybe<Pick<AdminTypes.FulfillmentService, 'handle' | 'serviceName'>> }
          )> }
        ), supportedActions: Array<Pick<AdminTypes.FulfillmentOrderSupportedAction, 'action'>>, fulfillmentHolds: Array<Pick<AdminTypes.FulfillmentHold, 'id' | 'handle' | 'reason' | 'reasonNotes' | 'heldByRequestingApp'>> }
      ), remainingFulfillmentOrder: (
        Pick<AdminTypes.FulfillmentOrder, 'id' | 'status' | 'requestStatus' | 'updatedAt'>
        & { lineItems: { nodes: Array<(
            Pick<AdminTypes.FulfillmentOrderLineItem, 'id' | 'remainingQuantity' | 'totalQuantity'>
            & { lineItem: Pick<AdminTypes.LineItem, 'id'> }
          )> }, assignedLocation: (
          Pick<AdminTypes.FulfillmentOrderAssignedLocation, 'name'>
          & { location?: AdminTypes.Maybe<(
            Pick<AdminTypes.Location, 'id'>
            & { fulfillmentService?: AdminTypes.Maybe<Pick<AdminTypes.FulfillmentService, 'handle' | 'serviceName'>> }
          )> }
        ), supportedActions: Array<Pick<AdminTypes.FulfillmentOrderSupportedAction, 'action'>>, fulfillmentHolds: Array<Pick<AdminTypes.FulfillmentHold, 'id' | 'handle' | 'reason' | 'reasonNotes' | 'heldByRequestingApp'>> }
      ), replacementFulfillmentOrder?: AdminTypes.Maybe<Pick<AdminTypes.FulfillmentOrder, 'id'>> }>>, userErrors: Array<Pick<AdminTypes.FulfillmentOrderSplitUserError, 'field' | 'message' | 'code'>> }> };

export type FulfillmentOrderMergeMutationVariables = AdminTypes.Exact<{
  fulfillmentOrderMergeInputs: Array<AdminTypes.FulfillmentOrderMergeInput> | AdminTypes.FulfillmentOrderMergeInput;
}>;


export type FulfillmentOrderMergeMutation = { fulfillmentOrderMerge?: AdminTypes.Maybe<{ fulfillmentOrderMerges?: AdminTypes.Maybe<Array<{ fulfillmentOrder: Pick<AdminTypes.FulfillmentOrder, 'id' | 'status'> }>>, userErrors: Array<Pick<AdminTypes.FulfillmentOrderMergeUserError, 'field' | 'message' | 'code'>> }> };

export type FulfillmentOrderMoveMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  newLocationId: AdminTypes.Scalars['ID']['input'];
  fulfillmentOrderLineItems?: AdminTypes.InputMaybe<Array<AdminTypes.FulfillmentOrderLineItemInput> | AdminTypes.FulfillmentOrderLineItemInput>;
  fulfillmentOrderLines: AdminTypes.Scalars['Int']['input'];
  withOriginalLines: AdminTypes.Scalars['Boolean']['input'];
  withOrderFulfillmentOrders?: AdminTypes.InputMaybe<AdminTypes.Scalars['Boolean']['input']>;
  orderFulfillmentOrders?: AdminTypes.InputMaybe<AdminTypes.Scalars['Int']['input']>;
  withFulfillmentServices?: AdminTypes.InputMaybe<AdminTypes.Scalars['Boolean']['input']>;
}>;


export type FulfillmentOrderMoveMutation = { fulfillmentOrderMove?: AdminTypes.Maybe<{ movedFulfillmentOrder?: AdminTypes.Maybe<(
      Pick<AdminTypes.FulfillmentOrder, 'id' | 'status' | 'requestStatus' | 'updatedAt'>
      & { order?: { fulfillmentOrders: { nodes: Array<Pick<AdminTypes.FulfillmentOrder, 'id' | 'status'>> } }, lineItems: { nodes: Array<(
          Pick<AdminTypes.FulfillmentOrderLineItem, 'id' | 'remainingQuantity' | 'totalQuantity'>
          & { lineItem: Pick<AdminTypes.LineItem, 'id'> }
        )> }, assignedLocation: (
        Pick<AdminTypes.FulfillmentOrderAssignedLocation, 'name'>
        & { location?: AdminTypes.Maybe<(
          Pick<AdminTypes.Location, 'id'>
          & { fulfillmentService?: AdminTypes.Maybe<Pick<AdminTypes.FulfillmentService, 'handle' | 'serviceName'>> }
        )> }
      ), supportedActions: Array<Pick<AdminTypes.FulfillmentOrderSupportedAction, 'action'>>, fulfillmentHolds: Array<Pick<AdminTypes.FulfillmentHold, 'id' | 'handle' | 'reason' | 'reasonNotes' | 'heldByRequestingApp'>> }
    )>, originalFulfillmentOrder?: AdminTypes.Maybe<(
      Pick<AdminTypes.FulfillmentOrder, 'id' | 'status' | 'requestStatus' | 'updatedAt'>
      & { lineItems: { nodes: Array<(
          Pick<AdminTypes.FulfillmentOrderLineItem, 'id' | 'remainingQuantity' | 'totalQuantity'>
          & { lineItem: Pick<AdminTypes.LineItem, 'id'> }
        )> }, assignedLocation: (
        Pick<AdminTypes.FulfillmentOrderAssignedLocation, 'name'>
        & { location?: AdminTypes.Maybe<(
          Pick<AdminTypes.Location, 'id'>
          & { fulfillmentService?: AdminTypes.Maybe<Pick<AdminTypes.FulfillmentService, 'handle' | 'serviceName'>> }
        )> }
      ), supportedActions: Array<Pick<AdminTypes.FulfillmentOrderSupportedAction, 'action'>>, fulfillmentHolds: Array<Pick<AdminTypes.FulfillmentHold, 'id' | 'handle' | 'reason' | 'reasonNotes' | 'heldByRequestingApp'>> }
    )>, remainingFulfillmentOrder?: AdminTypes.Maybe<Pick<AdminTypes.FulfillmentOrder, 'id'>>, userErrors: Array<Pick<AdminTypes.FulfillmentOrderMoveFulfillmentOrderMoveUserError, 'field' | 'message' | 'code'>> }> };

export type FulfillmentOrderSubmitFulfillmentRequestMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  message?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
  notifyCustomer?: AdminTypes.InputMaybe<AdminTypes.Scalars['Boolean']['input']>;
}>;


export type FulfillmentOrderSubmitFulfillmentRequestMutation = { fulfillmentOrderSubmitFulfillmentRequest?: AdminTypes.Maybe<{ submittedFulfillmentOrder?: AdminTypes.Maybe<(
      Pick<AdminTypes.FulfillmentOrder, 'id' | 'status' | 'requestStatus'>
      & { fulfillmentHolds: Array<Pick<AdminTypes.FulfillmentHold, 'id' | 'handle' | 'reason' | 'reasonNotes' | 'heldByRequestingApp'>>, supportedActions: Array<Pick<AdminTypes.FulfillmentOrderSupportedAction, 'action'>> }
    )>, unsubmittedFulfillmentOrder?: AdminTypes.Maybe<Pick<AdminTypes.FulfillmentOrder, 'id'>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type FulfillmentCreateMutationVariables = AdminTypes.Exact<{
  fulfillment: AdminTypes.FulfillmentInput;
}>;


export type FulfillmentCreateMutation = { fulfillmentCreate?: AdminTypes.Maybe<{ fulfillment?: AdminTypes.Maybe<Pick<AdminTypes.Fulfillment, 'id' | 'status' | 'displayStatus'>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type FulfillmentOrderCancelMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type FulfillmentOrderCancelMutation = { fulfillmentOrderCancel?: AdminTypes.Maybe<{ fulfillmentOrder?: AdminTypes.Maybe<Pick<AdminTypes.FulfillmentOrder, 'id' | 'status' | 'requestStatus'>>, replacementFulfillmentOrder?: AdminTypes.Maybe<Pick<AdminTypes.FulfillmentOrder, 'id' | 'status'>>, userErrors: Array<Pick<AdminTypes.FulfillmentOrderCancelError, 'field' | 'message' | 'code'>> }> };

export type FulfillmentOrderSubmitCancellationRequestMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  message?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type FulfillmentOrderSubmitCancellationRequestMutation = { fulfillmentOrderSubmitCancellationRequest?: AdminTypes.Maybe<{ fulfillmentOrder?: AdminTypes.Maybe<Pick<AdminTypes.FulfillmentOrder, 'id' | 'status' | 'requestStatus'>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type OrderCaptureMutationVariables = AdminTypes.Exact<{
  input: AdminTypes.OrderCaptureInput;
}>;


export type OrderCaptureMutation = { orderCapture?: AdminTypes.Maybe<{ transaction?: AdminTypes.Maybe<Pick<AdminTypes.OrderTransaction, 'id' | 'kind' | 'status'>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type TagsAddMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  tags: Array<AdminTypes.Scalars['String']['input']> | AdminTypes.Scalars['String']['input'];
}>;


export type TagsAddMutation = { tagsAdd?: AdminTypes.Maybe<{ node?: AdminTypes.Maybe<Pick<AdminTypes.AbandonedCheckout, 'id'> | Pick<AdminTypes.AbandonedCheckoutLineItem, 'id'> | Pick<AdminTypes.Abandonment, 'id'> | Pick<AdminTypes.AddAllProductsOperation, 'id'> | Pick<AdminTypes.AdditionalFee, 'id'> | Pick<AdminTypes.AnalyticsAnnotation, 'id'> | Pick<AdminTypes.AnalyticsTarget, 'id'> | Pick<AdminTypes.App, 'id'> | Pick<AdminTypes.AppCatalog, 'id'> | Pick<AdminTypes.AppCredit, 'id'> | Pick<AdminTypes.AppInstallation, 'id'> | Pick<AdminTypes.AppPurchaseOneTime, 'id'> | Pick<AdminTypes.AppRevenueAttributionRecord, 'id'> | Pick<AdminTypes.AppSubscription, 'id'> | Pick<AdminTypes.AppUsageRecord, 'id'> | Pick<AdminTypes.Article, 'id'> | Pick<AdminTypes.BasicEvent, 'id'> | Pick<AdminTypes.Blog, 'id'> | Pick<AdminTypes.BulkOperation, 'id'> | Pick<AdminTypes.BusinessEntity, 'id'> | Pick<AdminTypes.CalculatedOrder, 'id'> | Pick<AdminTypes.CartTransform, 'id'> | Pick<AdminTypes.CashDrawer, 'id'> | Pick<AdminTypes.CashManagementCustomReasonCode, 'id'> | Pick<AdminTypes.CashManagementDefaultReasonCode, 'id'> | Pick<AdminTypes.CashManagementSystemReasonCode, 'id'> | Pick<AdminTypes.CashTrackingAdjustment, 'id'> | Pick<AdminTypes.CashTrackingSession, 'id'> | Pick<AdminTypes.CatalogCsvOperation, 'id'> | Pick<AdminTypes.Channel, 'id'> | Pick<AdminTypes.ChannelDefinition, 'id'> | Pick<AdminTypes.ChannelInformation, 'id'> | Pick<AdminTypes.CheckoutAndAccountsConfiguration, 'id'> | Pick<AdminTypes.CheckoutAndAccountsConfigurationOverride, 'id'> | Pick<AdminTypes.CheckoutProfile, 'id'> | Pick<AdminTypes.Collection, 'id'> | Pick<AdminTypes.CollectionConditionsSource, 'id'> | Pick<AdminTypes.CollectionSubCollectionsSource, 'id'> | Pick<AdminTypes.Comment, 'id'> | Pick<AdminTypes.CommentEvent, 'id'> | Pick<AdminTypes.Company, 'id'> | Pick<AdminTypes.CompanyAddress, 'id'> | Pick<AdminTypes.CompanyContact, 'id'> | Pick<AdminTypes.CompanyContactRole, 'id'> | Pick<AdminTypes.CompanyContactRoleAssignment, 'id'> | Pick<AdminTypes.CompanyLocation, 'id'> | Pick<AdminTypes.CompanyLocationCatalog, 'id'> | Pick<AdminTypes.CompanyLocationStaffMemberAssignment, 'id'> | Pick<AdminTypes.ConsentPolicy, 'id'> | Pick<AdminTypes.CurrencyExchangeAdjustment, 'id'> | Pick<AdminTypes.Customer, 'id'> | Pick<AdminTypes.CustomerAccountAppExtensionPage, 'id'> | Pick<AdminTypes.CustomerAccountNativePage, 'id'> | Pick<AdminTypes.CustomerPaymentMethod, 'id'> | Pick<AdminTypes.CustomerSegmentMembersQuery, 'id'> | Pick<AdminTypes.CustomerVisit, 'id'> | Pick<AdminTypes.DeliveryCarrierService, 'id'> | Pick<AdminTypes.DeliveryCondition, 'id'> | Pick<AdminTypes.DeliveryCountry, 'id'> | Pick<AdminTypes.DeliveryCustomization, 'id'> | Pick<AdminTypes.DeliveryLocationGroup, 'id'> | Pick<AdminTypes.DeliveryMethod, 'id'> | Pick<AdminTypes.DeliveryMethodDefinition, 'id'> | Pick<AdminTypes.DeliveryParticipant, 'id'> | Pick<AdminTypes.DeliveryProfile, 'id'> | Pick<AdminTypes.DeliveryProfileItem, 'id'> | Pick<AdminTypes.DeliveryPromiseParticipant, 'id'> | Pick<AdminTypes.DeliveryPromiseProvider, 'id'> | Pick<AdminTypes.DeliveryProvince, 'id'> | Pick<AdminTypes.DeliveryRateDefinition, 'id'> | Pick<AdminTypes.DeliveryZone, 'id'> | Pick<AdminTypes.DiscountAutomaticBxgy, 'id'> | Pick<AdminTypes.DiscountAutomaticNode, 'id'> | Pick<AdminTypes.DiscountCodeNode, 'id'> | Pick<AdminTypes.DiscountNode, 'id'> | Pick<AdminTypes.DiscountRedeemCodeBulkCreation, 'id'> | Pick<AdminTypes.Domain, 'id'> | Pick<AdminTypes.DraftOrder, 'id'> | Pick<AdminTypes.DraftOrderLineItem, 'id'> | Pick<AdminTypes.DraftOrderTag, 'id'> | Pick<AdminTypes.Duty, 'id'> | Pick<AdminTypes.ExchangeLineItem, 'id'> | Pick<AdminTypes.ExternalVideo, 'id'> | Pick<AdminTypes.Fulfillment, 'id'> | Pick<AdminTypes.FulfillmentConstraintRule, 'id'> | Pick<AdminTypes.FulfillmentEvent, 'id'> | Pick<AdminTypes.FulfillmentHold, 'id'> | Pick<AdminTypes.FulfillmentLineItem, 'id'> | Pick<AdminTypes.FulfillmentOrder, 'id'> | Pick<AdminTypes.FulfillmentOrderDestination, 'id'> | Pick<AdminTypes.FulfillmentOrderLineItem, 'id'> | Pick<AdminTypes.FulfillmentOrderMerchantRequest, 'id'> | Pick<AdminTypes.GenericFile, 'id'> | Pick<AdminTypes.GiftCard, 'id'> | Pick<AdminTypes.GiftCardCashOutTransaction, 'id'> | Pick<AdminTypes.GiftCardCreditTransaction, 'id'> | Pick<AdminTypes.GiftCardDebitTransaction, 'id'> | Pick<AdminTypes.IdentityProviderSubject, 'id'> | Pick<AdminTypes.InventoryAdjustmentGroup, 'id'> | Pick<AdminTypes.InventoryItem, 'id'> | Pick<AdminTypes.InventoryItemMeasurement, 'id'> | Pick<AdminTypes.InventoryLevel, 'id'> | Pick<AdminTypes.InventoryQuantity, 'id'> | Pick<AdminTypes.InventoryShipment, 'id'> | Pick<AdminTypes.InventoryShipmentLineItem, 'id'> | Pick<AdminTypes.InventoryTransfer, 'id'> | Pick<AdminTypes.InventoryTransferLineItem, 'id'> | Pick<AdminTypes.LineItem, 'id'> | Pick<AdminTypes.LineItemGroup, 'id'> | Pick<AdminTypes.Location, 'id'> | Pick<AdminTypes.MailingAddress, 'id'> | Pick<AdminTypes.Market, 'id'> | Pick<AdminTypes.MarketCatalog, 'id'> | Pick<AdminTypes.MarketRegionCountry, 'id'> | Pick<AdminTypes.MarketRegionSubdivision, 'id'> | Pick<AdminTypes.MarketWebPresence, 'id'> | Pick<AdminTypes.MarketingActivity, 'id'> | Pick<AdminTypes.MarketingEvent, 'id'> | Pick<AdminTypes.MediaImage, 'id'> | Pick<AdminTypes.Menu, 'id'> | Pick<AdminTypes.Metafield, 'id'> | Pick<AdminTypes.MetafieldDefinition, 'id'> | Pick<AdminTypes.Metaobject, 'id'> | Pick<AdminTypes.MetaobjectDefinition, 'id'> | Pick<AdminTypes.Model3d, 'id'> | Pick<AdminTypes.OnlineStoreTheme, 'id'> | Pick<AdminTypes.Order, 'id'> | Pick<AdminTypes.OrderAdjustment, 'id'> | Pick<AdminTypes.OrderAttributionDefinition, 'id'> | Pick<AdminTypes.OrderCancelJobResult, 'id'> | Pick<AdminTypes.OrderCreateMandatePaymentJobResult, 'id'> | Pick<AdminTypes.OrderDisputeSummary, 'id'> | Pick<AdminTypes.OrderEditSession, 'id'> | Pick<AdminTypes.OrderTransaction, 'id'> | Pick<AdminTypes.Page, 'id'> | Pick<AdminTypes.PaymentCustomization, 'id'> | Pick<AdminTypes.PaymentMandate, 'id'> | Pick<AdminTypes.PaymentSchedule, 'id'> | Pick<AdminTypes.PaymentTerms, 'id'> | Pick<AdminTypes.PaymentTermsTemplate, 'id'> | Pick<AdminTypes.PointOfSaleDevice, 'id'> | Pick<AdminTypes.PointOfSaleDevicePaymentSession, 'id'> | Pick<AdminTypes.PriceList, 'id'> | Pick<AdminTypes.Product, 'id'> | Pick<AdminTypes.ProductBundleOperation, 'id'> | Pick<AdminTypes.ProductDeleteOperation, 'id'> | Pick<AdminTypes.ProductDuplicateOperation, 'id'> | Pick<AdminTypes.ProductFeed, 'id'> | Pick<AdminTypes.ProductOption, 'id'> | Pick<AdminTypes.ProductOptionValue, 'id'> | Pick<AdminTypes.ProductSetOperation, 'id'> | Pick<AdminTypes.ProductTaxonomyNode, 'id'> | Pick<AdminTypes.ProductVariant, 'id'> | Pick<AdminTypes.ProductVariantComponent, 'id'> | Pick<AdminTypes.Publication, 'id'> | Pick<AdminTypes.PublicationResourceOperation, 'id'> | Pick<AdminTypes.QuantityPriceBreak, 'id'> | Pick<AdminTypes.Refund, 'id'> | Pick<AdminTypes.RefundShippingLine, 'id'> | Pick<AdminTypes.Return, 'id'> | Pick<AdminTypes.ReturnLineItem, 'id'> | Pick<AdminTypes.ReturnReasonDefinition, 'id'> | Pick<AdminTypes.ReturnableFulfillment, 'id'> | Pick<AdminTypes.ReverseDelivery, 'id'> | Pick<AdminTypes.ReverseDeliveryLineItem, 'id'> | Pick<AdminTypes.ReverseFulfillmentOrder, 'id'> | Pick<AdminTypes.ReverseFulfillmentOrderDisposition, 'id'> | Pick<AdminTypes.ReverseFulfillmentOrderLineItem, 'id'> | Pick<AdminTypes.SaleAdditionalFee, 'id'> | Pick<AdminTypes.SavedSearch, 'id'> | Pick<AdminTypes.ScriptTag, 'id'> | Pick<AdminTypes.Segment, 'id'> | Pick<AdminTypes.SellingPlan, 'id'> | Pick<AdminTypes.SellingPlanGroup, 'id'> | Pick<AdminTypes.ServerPixel, 'id'> | Pick<AdminTypes.ShippingLabel, 'id'> | Pick<AdminTypes.ShippingLabelPurchaseResult, 'id'> | Pick<AdminTypes.Shop, 'id'> | Pick<AdminTypes.ShopAddress, 'id'> | Pick<AdminTypes.ShopPolicy, 'id'> | Pick<AdminTypes.ShopifyPaymentsAccount, 'id'> | Pick<AdminTypes.ShopifyPaymentsBalanceTransaction, 'id'> | Pick<AdminTypes.ShopifyPaymentsBankAccount, 'id'> | Pick<AdminTypes.ShopifyPaymentsDispute, 'id'> | Pick<AdminTypes.ShopifyPaymentsDisputeEvidence, 'id'> | Pick<AdminTypes.ShopifyPaymentsDisputeFileUpload, 'id'> | Pick<AdminTypes.ShopifyPaymentsDisputeFulfillment, 'id'> | Pick<AdminTypes.ShopifyPaymentsPayout, 'id'> | Pick<AdminTypes.StaffMember, 'id'> | Pick<AdminTypes.StandardMetafieldDefinitionTemplate, 'id'> | Pick<AdminTypes.StoreCreditAccount, 'id'> | Pick<AdminTypes.StoreCreditAccountCreditTransaction, 'id'> | Pick<AdminTypes.StoreCreditAccountDebitRevertTransaction, 'id'> | Pick<AdminTypes.StoreCreditAccountDebitTransaction, 'id'> | Pick<AdminTypes.StorefrontAccessToken, 'id'> | Pick<AdminTypes.SubscriptionBillingAttempt, 'id'> | Pick<AdminTypes.SubscriptionContract, 'id'> | Pick<AdminTypes.SubscriptionDraft, 'id'> | Pick<AdminTypes.TaxonomyAttribute, 'id'> | Pick<AdminTypes.TaxonomyCategory, 'id'> | Pick<AdminTypes.TaxonomyChoiceListAttribute, 'id'> | Pick<AdminTypes.TaxonomyMeasurementAttribute, 'id'> | Pick<AdminTypes.TaxonomyValue, 'id'> | Pick<AdminTypes.TenderTransaction, 'id'> | Pick<AdminTypes.TransactionFee, 'id'> | Pick<AdminTypes.UnverifiedReturnLineItem, 'id'> | Pick<AdminTypes.UrlRedirect, 'id'> | Pick<AdminTypes.UrlRedirectImport, 'id'> | Pick<AdminTypes.Validation, 'id'> | Pick<AdminTypes.Video, 'id'> | Pick<AdminTypes.WebPixel, 'id'> | Pick<AdminTypes.WebhookSubscription, 'id'>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type OrderNoteUpdateMutationVariables = AdminTypes.Exact<{
  input: AdminTypes.OrderInput;
}>;


export type OrderNoteUpdateMutation = { orderUpdate?: AdminTypes.Maybe<{ order?: AdminTypes.Maybe<Pick<AdminTypes.Order, 'id' | 'note'>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type OrderCloseMutationVariables = AdminTypes.Exact<{
  input: AdminTypes.OrderCloseInput;
}>;


export type OrderCloseMutation = { orderClose?: AdminTypes.Maybe<{ order?: AdminTypes.Maybe<Pick<AdminTypes.Order, 'id' | 'closed'>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type OrderCancelMutationVariables = AdminTypes.Exact<{
  orderId: AdminTypes.Scalars['ID']['input'];
  reason: AdminTypes.OrderCancelReason;
  refundMethod?: AdminTypes.InputMaybe<AdminTypes.OrderCancelRefundMethodInput>;
  restock: AdminTypes.Scalars['Boolean']['input'];
  notifyCustomer?: AdminTypes.InputMaybe<AdminTypes.Scalars['Boolean']['input']>;
  staffNote?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type OrderCancelMutation = { orderCancel?: AdminTypes.Maybe<{ job?: AdminTypes.Maybe<Pick<AdminTypes.Job, 'id' | 'done'>>, jobResult?: AdminTypes.Maybe<Pick<AdminTypes.OrderCancelJobResult, 'id'>>, orderCancelUserErrors: Array<Pick<AdminTypes.OrderCancelUserError, 'field' | 'message' | 'code'>> }> };

export type DraftOrderCreateMutationVariables = AdminTypes.Exact<{
  input: AdminTypes.DraftOrderInput;
}>;


export type DraftOrderCreateMutation = { draftOrderCreate?: AdminTypes.Maybe<{ draftOrder?: AdminTypes.Maybe<Pick<AdminTypes.DraftOrder, 'id' | 'name'>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type DraftOrderCompleteMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type DraftOrderCompleteMutation = { draftOrderComplete?: AdminTypes.Maybe<{ draftOrder?: AdminTypes.Maybe<(
      Pick<AdminTypes.DraftOrder, 'id' | 'status'>
      & { order?: AdminTypes.Maybe<Pick<AdminTypes.Order, 'id' | 'name'>> }
    )>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type DraftOrderDeleteMutationVariables = AdminTypes.Exact<{
  input: AdminTypes.DraftOrderDeleteInput;
}>;


export type DraftOrderDeleteMutation = { draftOrderDelete?: AdminTypes.Maybe<(
    Pick<AdminTypes.DraftOrderDeletePayload, 'deletedId'>
    & { userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }
  )> };

export type DraftOrderInvoiceSendMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  email?: AdminTypes.InputMaybe<AdminTypes.EmailInput>;
}>;


export type DraftOrderInvoiceSendMutation = { draftOrderInvoiceSend?: AdminTypes.Maybe<{ draftOrder?: AdminTypes.Maybe<Pick<AdminTypes.DraftOrder, 'id' | 'name' | 'status' | 'invoiceUrl' | 'invoiceSentAt'>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type TagsRemoveMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  tags: Array<AdminTypes.Scalars['String']['input']> | AdminTypes.Scalars['String']['input'];
}>;


export type TagsRemoveMutation = { tagsRemove?: AdminTypes.Maybe<{ node?: AdminTypes.Maybe<Pick<AdminTypes.AbandonedCheckout, 'id'> | Pick<AdminTypes.AbandonedCheckoutLineItem, 'id'> | Pick<AdminTypes.Abandonment, 'id'> | Pick<AdminTypes.AddAllProductsOperation, 'id'> | Pick<AdminTypes.AdditionalFee, 'id'> | Pick<AdminTypes.AnalyticsAnnotation, 'id'> | Pick<AdminTypes.AnalyticsTarget, 'id'> | Pick<AdminTypes.App, 'id'> | Pick<AdminTypes.AppCatalog, 'id'> | Pick<AdminTypes.AppCredit, 'id'> | Pick<AdminTypes.AppInstallation, 'id'> | Pick<AdminTypes.AppPurchaseOneTime, 'id'> | Pick<AdminTypes.AppRevenueAttributionRecord, 'id'> | Pick<AdminTypes.AppSubscription, 'id'> | Pick<AdminTypes.AppUsageRecord, 'id'> | Pick<AdminTypes.Article, 'id'> | Pick<AdminTypes.BasicEvent, 'id'> | Pick<AdminTypes.Blog, 'id'> | Pick<AdminTypes.BulkOperation, 'id'> | Pick<AdminTypes.BusinessEntity, 'id'> | Pick<AdminTypes.CalculatedOrder, 'id'> | Pick<AdminTypes.CartTransform, 'id'> | Pick<AdminTypes.CashDrawer, 'id'> | Pick<AdminTypes.CashManagementCustomReasonCode, 'id'> | Pick<AdminTypes.CashManagementDefaultReasonCode, 'id'> | Pick<AdminTypes.CashManagementSystemReasonCode, 'id'> | Pick<AdminTypes.CashTrackingAdjustment, 'id'> | Pick<AdminTypes.CashTrackingSession, 'id'> | Pick<AdminTypes.CatalogCsvOperation, 'id'> | Pick<AdminTypes.Channel, 'id'> | Pick<AdminTypes.ChannelDefinition, 'id'> | Pick<AdminTypes.ChannelInformation, 'id'> | Pick<AdminTypes.CheckoutAndAccountsConfiguration, 'id'> | Pick<AdminTypes.CheckoutAndAccountsConfigurationOverride, 'id'> | Pick<AdminTypes.CheckoutProfile, 'id'> | Pick<AdminTypes.Collection, 'id'> | Pick<AdminTypes.CollectionConditionsSource, 'id'> | Pick<AdminTypes.CollectionSubCollectionsSource, 'id'> | Pick<AdminTypes.Comment, 'id'> | Pick<AdminTypes.CommentEvent, 'id'> | Pick<AdminTypes.Company, 'id'> | Pick<AdminTypes.CompanyAddress, 'id'> | Pick<AdminTypes.CompanyContact, 'id'> | Pick<AdminTypes.CompanyContactRole, 'id'> | Pick<AdminTypes.CompanyContactRoleAssignment, 'id'> | Pick<AdminTypes.CompanyLocation, 'id'> | Pick<AdminTypes.CompanyLocationCatalog, 'id'> | Pick<AdminTypes.CompanyLocationStaffMemberAssignment, 'id'> | Pick<AdminTypes.ConsentPolicy, 'id'> | Pick<AdminTypes.CurrencyExchangeAdjustment, 'id'> | Pick<AdminTypes.Customer, 'id'> | Pick<AdminTypes.CustomerAccountAppExtensionPage, 'id'> | Pick<AdminTypes.CustomerAccountNativePage, 'id'> | Pick<AdminTypes.CustomerPaymentMethod, 'id'> | Pick<AdminTypes.CustomerSegmentMembersQuery, 'id'> | Pick<AdminTypes.CustomerVisit, 'id'> | Pick<AdminTypes.DeliveryCarrierService, 'id'> | Pick<AdminTypes.DeliveryCondition, 'id'> | Pick<AdminTypes.DeliveryCountry, 'id'> | Pick<AdminTypes.DeliveryCustomization, 'id'> | Pick<AdminTypes.DeliveryLocationGroup, 'id'> | Pick<AdminTypes.DeliveryMethod, 'id'> | Pick<AdminTypes.DeliveryMethodDefinition, 'id'> | Pick<AdminTypes.DeliveryParticipant, 'id'> | Pick<AdminTypes.DeliveryProfile, 'id'> | Pick<AdminTypes.DeliveryProfileItem, 'id'> | Pick<AdminTypes.DeliveryPromiseParticipant, 'id'> | Pick<AdminTypes.DeliveryPromiseProvider, 'id'> | Pick<AdminTypes.DeliveryProvince, 'id'> | Pick<AdminTypes.DeliveryRateDefinition, 'id'> | Pick<AdminTypes.DeliveryZone, 'id'> | Pick<AdminTypes.DiscountAutomaticBxgy, 'id'> | Pick<AdminTypes.DiscountAutomaticNode, 'id'> | Pick<AdminTypes.DiscountCodeNode, 'id'> | Pick<AdminTypes.DiscountNode, 'id'> | Pick<AdminTypes.DiscountRedeemCodeBulkCreation, 'id'> | Pick<AdminTypes.Domain, 'id'> | Pick<AdminTypes.DraftOrder, 'id'> | Pick<AdminTypes.DraftOrderLineItem, 'id'> | Pick<AdminTypes.DraftOrderTag, 'id'> | Pick<AdminTypes.Duty, 'id'> | Pick<AdminTypes.ExchangeLineItem, 'id'> | Pick<AdminTypes.ExternalVideo, 'id'> | Pick<AdminTypes.Fulfillment, 'id'> | Pick<AdminTypes.FulfillmentConstraintRule, 'id'> | Pick<AdminTypes.FulfillmentEvent, 'id'> | Pick<AdminTypes.FulfillmentHold, 'id'> | Pick<AdminTypes.FulfillmentLineItem, 'id'> | Pick<AdminTypes.FulfillmentOrder, 'id'> | Pick<AdminTypes.FulfillmentOrderDestination, 'id'> | Pick<AdminTypes.FulfillmentOrderLineItem, 'id'> | Pick<AdminTypes.FulfillmentOrderMerchantRequest, 'id'> | Pick<AdminTypes.GenericFile, 'id'> | Pick<AdminTypes.GiftCard, 'id'> | Pick<AdminTypes.GiftCardCashOutTransaction, 'id'> | Pick<AdminTypes.GiftCardCreditTransaction, 'id'> | Pick<AdminTypes.GiftCardDebitTransaction, 'id'> | Pick<AdminTypes.IdentityProviderSubject, 'id'> | Pick<AdminTypes.InventoryAdjustmentGroup, 'id'> | Pick<AdminTypes.InventoryItem, 'id'> | Pick<AdminTypes.InventoryItemMeasurement, 'id'> | Pick<AdminTypes.InventoryLevel, 'id'> | Pick<AdminTypes.InventoryQuantity, 'id'> | Pick<AdminTypes.InventoryShipment, 'id'> | Pick<AdminTypes.InventoryShipmentLineItem, 'id'> | Pick<AdminTypes.InventoryTransfer, 'id'> | Pick<AdminTypes.InventoryTransferLineItem, 'id'> | Pick<AdminTypes.LineItem, 'id'> | Pick<AdminTypes.LineItemGroup, 'id'> | Pick<AdminTypes.Location, 'id'> | Pick<AdminTypes.MailingAddress, 'id'> | Pick<AdminTypes.Market, 'id'> | Pick<AdminTypes.MarketCatalog, 'id'> | Pick<AdminTypes.MarketRegionCountry, 'id'> | Pick<AdminTypes.MarketRegionSubdivision, 'id'> | Pick<AdminTypes.MarketWebPresence, 'id'> | Pick<AdminTypes.MarketingActivity, 'id'> | Pick<AdminTypes.MarketingEvent, 'id'> | Pick<AdminTypes.MediaImage, 'id'> | Pick<AdminTypes.Menu, 'id'> | Pick<AdminTypes.Metafield, 'id'> | Pick<AdminTypes.MetafieldDefinition, 'id'> | Pick<AdminTypes.Metaobject, 'id'> | Pick<AdminTypes.MetaobjectDefinition, 'id'> | Pick<AdminTypes.Model3d, 'id'> | Pick<AdminTypes.OnlineStoreTheme, 'id'> | Pick<AdminTypes.Order, 'id'> | Pick<AdminTypes.OrderAdjustment, 'id'> | Pick<AdminTypes.OrderAttributionDefinition, 'id'> | Pick<AdminTypes.OrderCancelJobResult, 'id'> | Pick<AdminTypes.OrderCreateMandatePaymentJobResult, 'id'> | Pick<AdminTypes.OrderDisputeSummary, 'id'> | Pick<AdminTypes.OrderEditSession, 'id'> | Pick<AdminTypes.OrderTransaction, 'id'> | Pick<AdminTypes.Page, 'id'> | Pick<AdminTypes.PaymentCustomization, 'id'> | Pick<AdminTypes.PaymentMandate, 'id'> | Pick<AdminTypes.PaymentSchedule, 'id'> | Pick<AdminTypes.PaymentTerms, 'id'> | Pick<AdminTypes.PaymentTermsTemplate, 'id'> | Pick<AdminTypes.PointOfSaleDevice, 'id'> | Pick<AdminTypes.PointOfSaleDevicePaymentSession, 'id'> | Pick<AdminTypes.PriceList, 'id'> | Pick<AdminTypes.Product, 'id'> | Pick<AdminTypes.ProductBundleOperation, 'id'> | Pick<AdminTypes.ProductDeleteOperation, 'id'> | Pick<AdminTypes.ProductDuplicateOperation, 'id'> | Pick<AdminTypes.ProductFeed, 'id'> | Pick<AdminTypes.ProductOption, 'id'> | Pick<AdminTypes.ProductOptionValue, 'id'> | Pick<AdminTypes.ProductSetOperation, 'id'> | Pick<AdminTypes.ProductTaxonomyNode, 'id'> | Pick<AdminTypes.ProductVariant, 'id'> | Pick<AdminTypes.ProductVariantComponent, 'id'> | Pick<AdminTypes.Publication, 'id'> | Pick<AdminTypes.PublicationResourceOperation, 'id'> | Pick<AdminTypes.QuantityPriceBreak, 'id'> | Pick<AdminTypes.Refund, 'id'> | Pick<AdminTypes.RefundShippingLine, 'id'> | Pick<AdminTypes.Return, 'id'> | Pick<AdminTypes.ReturnLineItem, 'id'> | Pick<AdminTypes.ReturnReasonDefinition, 'id'> | Pick<AdminTypes.ReturnableFulfillment, 'id'> | Pick<AdminTypes.ReverseDelivery, 'id'> | Pick<AdminTypes.ReverseDeliveryLineItem, 'id'> | Pick<AdminTypes.ReverseFulfillmentOrder, 'id'> | Pick<AdminTypes.ReverseFulfillmentOrderDisposition, 'id'> | Pick<AdminTypes.ReverseFulfillmentOrderLineItem, 'id'> | Pick<AdminTypes.SaleAdditionalFee, 'id'> | Pick<AdminTypes.SavedSearch, 'id'> | Pick<AdminTypes.ScriptTag, 'id'> | Pick<AdminTypes.Segment, 'id'> | Pick<AdminTypes.SellingPlan, 'id'> | Pick<AdminTypes.SellingPlanGroup, 'id'> | Pick<AdminTypes.ServerPixel, 'id'> | Pick<AdminTypes.ShippingLabel, 'id'> | Pick<AdminTypes.ShippingLabelPurchaseResult, 'id'> | Pick<AdminTypes.Shop, 'id'> | Pick<AdminTypes.ShopAddress, 'id'> | Pick<AdminTypes.ShopPolicy, 'id'> | Pick<AdminTypes.ShopifyPaymentsAccount, 'id'> | Pick<AdminTypes.ShopifyPaymentsBalanceTransaction, 'id'> | Pick<AdminTypes.ShopifyPaymentsBankAccount, 'id'> | Pick<AdminTypes.ShopifyPaymentsDispute, 'id'> | Pick<AdminTypes.ShopifyPaymentsDisputeEvidence, 'id'> | Pick<AdminTypes.ShopifyPaymentsDisputeFileUpload, 'id'> | Pick<AdminTypes.ShopifyPaymentsDisputeFulfillment, 'id'> | Pick<AdminTypes.ShopifyPaymentsPayout, 'id'> | Pick<AdminTypes.StaffMember, 'id'> | Pick<AdminTypes.StandardMetafieldDefinitionTemplate, 'id'> | Pick<AdminTypes.StoreCreditAccount, 'id'> | Pick<AdminTypes.StoreCreditAccountCreditTransaction, 'id'> | Pick<AdminTypes.StoreCreditAccountDebitRevertTransaction, 'id'> | Pick<AdminTypes.StoreCreditAccountDebitTransaction, 'id'> | Pick<AdminTypes.StorefrontAccessToken, 'id'> | Pick<AdminTypes.SubscriptionBillingAttempt, 'id'> | Pick<AdminTypes.SubscriptionContract, 'id'> | Pick<AdminTypes.SubscriptionDraft, 'id'> | Pick<AdminTypes.TaxonomyAttribute, 'id'> | Pick<AdminTypes.TaxonomyCategory, 'id'> | Pick<AdminTypes.TaxonomyChoiceListAttribute, 'id'> | Pick<AdminTypes.TaxonomyMeasurementAttribute, 'id'> | Pick<AdminTypes.TaxonomyValue, 'id'> | Pick<AdminTypes.TenderTransaction, 'id'> | Pick<AdminTypes.TransactionFee, 'id'> | Pick<AdminTypes.UnverifiedReturnLineItem, 'id'> | Pick<AdminTypes.UrlRedirect, 'id'> | Pick<AdminTypes.UrlRedirectImport, 'id'> | Pick<AdminTypes.Validation, 'id'> | Pick<AdminTypes.Video, 'id'> | Pick<AdminTypes.WebPixel, 'id'> | Pick<AdminTypes.WebhookSubscription, 'id'>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type ExtraChargeDraftQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type ExtraChargeDraftQuery = { draftOrder?: AdminTypes.Maybe<(
    Pick<AdminTypes.DraftOrder, 'id' | 'status'>
    & { order?: AdminTypes.Maybe<Pick<AdminTypes.Order, 'id' | 'name' | 'displayFinancialStatus'>> }
  )> };

export type OriginalLinkQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type OriginalLinkQuery = { order?: AdminTypes.Maybe<Pick<AdminTypes.Order, 'id' | 'cancelledAt' | 'note'>> };

export type TaggedDraftOrdersQueryVariables = AdminTypes.Exact<{
  query: AdminTypes.Scalars['String']['input'];
}>;


export type TaggedDraftOrdersQuery = { draftOrders: { nodes: Array<(
      Pick<AdminTypes.DraftOrder, 'id' | 'name' | 'status'>
      & { customAttributes: Array<Pick<AdminTypes.Attribute, 'key' | 'value'>> }
    )> } };

export type RemakeSourceQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  lines: AdminTypes.Scalars['Int']['input'];
}>;


export type RemakeSourceQuery = { order?: AdminTypes.Maybe<(
    Pick<AdminTypes.Order, 'id' | 'name' | 'email' | 'cancelledAt' | 'currencyCode' | 'presentmentCurrencyCode' | 'tags' | 'note'>
    & { shippingAddress?: AdminTypes.Maybe<Pick<AdminTypes.MailingAddress, 'firstName' | 'lastName' | 'company' | 'address1' | 'address2' | 'city' | 'provinceCode' | 'zip' | 'countryCodeV2' | 'phone'>>, lineItems: { nodes: Array<(
        Pick<AdminTypes.LineItem, 'id' | 'title' | 'variantTitle' | 'sku' | 'quantity'>
        & { variant?: AdminTypes.Maybe<Pick<AdminTypes.ProductVariant, 'id'>>, customAttributes: Array<Pick<AdminTypes.Attribute, 'key' | 'value'>> }
      )> } }
  )> };

export type OrderCancelJobQueryVariables = AdminTypes.Exact<{
  jobId: AdminTypes.Scalars['ID']['input'];
  resultId: AdminTypes.Scalars['ID']['input'];
}>;


export type OrderCancelJobQuery = { job?: AdminTypes.Maybe<Pick<AdminTypes.Job, 'id' | 'done'>>, node?: AdminTypes.Maybe<(
    Pick<AdminTypes.OrderCancelJobResult, 'status'>
    & { errors: Array<Pick<AdminTypes.OrderCancelUserError, 'field' | 'message' | 'code'>> }
  )> };

export type FulfillmentOrderOrderQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type FulfillmentOrderOrderQuery = { fulfillmentOrder?: AdminTypes.Maybe<Pick<AdminTypes.FulfillmentOrder, 'id' | 'orderId'>> };

export type AwaitedFulfillmentOrdersQueryVariables = AdminTypes.Exact<{
  ids: Array<AdminTypes.Scalars['ID']['input']> | AdminTypes.Scalars['ID']['input'];
}>;


export type AwaitedFulfillmentOrdersQuery = { nodes: Array<AdminTypes.Maybe<Pick<AdminTypes.FulfillmentOrder, 'id' | 'orderId' | 'status' | 'requestStatus'>>> };

export type FlowTriggerReceiveMutationVariables = AdminTypes.Exact<{
  handle: AdminTypes.Scalars['String']['input'];
  payload: AdminTypes.Scalars['JSON']['input'];
}>;


export type FlowTriggerReceiveMutation = { flowTriggerReceive?: AdminTypes.Maybe<{ userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type WebhookSubscriptionCreateMutationVariables = AdminTypes.Exact<{
  topic: AdminTypes.WebhookSubscriptionTopic;
  webhookSubscription: AdminTypes.WebhookSubscriptionInput;
}>;


export type WebhookSubscriptionCreateMutation = { webhookSubscriptionCreate?: AdminTypes.Maybe<{ webhookSubscription?: AdminTypes.Maybe<Pick<AdminTypes.WebhookSubscription, 'id' | 'uri'>>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type WebhookSubscriptionDeleteMutationVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type WebhookSubscriptionDeleteMutation = { webhookSubscriptionDelete?: AdminTypes.Maybe<(
    Pick<AdminTypes.WebhookSubscriptionDeletePayload, 'deletedWebhookSubscriptionId'>
    & { userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }
  )> };

export type WebhookSubscriptionsQueryVariables = AdminTypes.Exact<{
  topics?: AdminTypes.InputMaybe<Array<AdminTypes.WebhookSubscriptionTopic> | AdminTypes.WebhookSubscriptionTopic>;
}>;


export type WebhookSubscriptionsQuery = { webhookSubscriptions: { nodes: Array<Pick<AdminTypes.WebhookSubscription, 'id' | 'uri'>> } };

export type LocationFulfillmentOrdersQueryVariables = AdminTypes.Exact<{
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
  query: AdminTypes.Scalars['String']['input'];
}>;


export type LocationFulfillmentOrdersQuery = { fulfillmentOrders: { nodes: Array<Pick<AdminTypes.FulfillmentOrder, 'id' | 'orderId' | 'orderName' | 'status' | 'requestStatus' | 'updatedAt'>>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } };

export type FulfillmentOrderActionsQueryVariables = AdminTypes.Exact<{
  ids: Array<AdminTypes.Scalars['ID']['input']> | AdminTypes.Scalars['ID']['input'];
}>;


export type FulfillmentOrderActionsQuery = { nodes: Array<AdminTypes.Maybe<(
    Pick<AdminTypes.FulfillmentOrder, 'id'>
    & { supportedActions: Array<Pick<AdminTypes.FulfillmentOrderSupportedAction, 'action'>> }
  )>> };

export type StuckLineFragment = (
  Pick<AdminTypes.FulfillmentOrderLineItem, 'remainingQuantity'>
  & { lineItem: (
    Pick<AdminTypes.LineItem, 'id' | 'requiresShipping'>
    & { variant?: AdminTypes.Maybe<{ selectedOptions: Array<Pick<AdminTypes.SelectedOption, 'name' | 'value'>> }>, product?: AdminTypes.Maybe<Pick<AdminTypes.Product, 'productType'>> }
  ) }
);

export type StuckFulfillmentOrderLinesQueryVariables = AdminTypes.Exact<{
  ids: Array<AdminTypes.Scalars['ID']['input']> | AdminTypes.Scalars['ID']['input'];
}>;


export type StuckFulfillmentOrderLinesQuery = { nodes: Array<AdminTypes.Maybe<(
    Pick<AdminTypes.FulfillmentOrder, 'id'>
    & { lineItems: { nodes: Array<(
        Pick<AdminTypes.FulfillmentOrderLineItem, 'remainingQuantity'>
        & { lineItem: (
          Pick<AdminTypes.LineItem, 'id' | 'requiresShipping'>
          & { variant?: AdminTypes.Maybe<{ selectedOptions: Array<Pick<AdminTypes.SelectedOption, 'name' | 'value'>> }>, product?: AdminTypes.Maybe<Pick<AdminTypes.Product, 'productType'>> }
        ) }
      )>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } }
  )>> };

export type StuckFulfillmentOrderLinesPageQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  after: AdminTypes.Scalars['String']['input'];
}>;


export type StuckFulfillmentOrderLinesPageQuery = { fulfillmentOrder?: AdminTypes.Maybe<{ lineItems: { nodes: Array<(
        Pick<AdminTypes.FulfillmentOrderLineItem, 'remainingQuantity'>
        & { lineItem: (
          Pick<AdminTypes.LineItem, 'id' | 'requiresShipping'>
          & { variant?: AdminTypes.Maybe<{ selectedOptions: Array<Pick<AdminTypes.SelectedOption, 'name' | 'value'>> }>, product?: AdminTypes.Maybe<Pick<AdminTypes.Product, 'productType'>> }
        ) }
      )>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } }> };

export type FulfillmentOrdersShopifyAllowsQueryVariables = AdminTypes.Exact<{
  ids: Array<AdminTypes.Scalars['ID']['input']> | AdminTypes.Scalars['ID']['input'];
  locationIds: Array<AdminTypes.Scalars['ID']['input']> | AdminTypes.Scalars['ID']['input'];
  locations: AdminTypes.Scalars['Int']['input'];
  lines: AdminTypes.Scalars['Int']['input'];
  move: AdminTypes.Scalars['Boolean']['input'];
  merge: AdminTypes.Scalars['Boolean']['input'];
}>;


export type FulfillmentOrdersShopifyAllowsQuery = { nodes: Array<AdminTypes.Maybe<(
    Pick<AdminTypes.FulfillmentOrder, 'id'>
    & { locationsForMove?: { nodes: Array<(
        Pick<AdminTypes.FulfillmentOrderLocationForMove, 'movable' | 'message'>
        & { location: Pick<AdminTypes.Location, 'id'>, availableLineItems: { nodes: Array<Pick<AdminTypes.FulfillmentOrderLineItem, 'id'>> } }
      )> }, fulfillmentOrdersForMerge?: { nodes: Array<Pick<AdminTypes.FulfillmentOrder, 'id'>> } }
  )>> };

export type FulfillmentOrderLocationsForMoveQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  after?: AdminTypes.InputMaybe<AdminTypes.Scalars['String']['input']>;
}>;


export type FulfillmentOrderLocationsForMoveQuery = { fulfillmentOrder?: AdminTypes.Maybe<(
    Pick<AdminTypes.FulfillmentOrder, 'id'>
    & { assignedLocation: { location?: AdminTypes.Maybe<Pick<AdminTypes.Location, 'id'>> }, locationsForMove: { nodes: Array<(
        Pick<AdminTypes.FulfillmentOrderLocationForMove, 'movable' | 'message'>
        & { location: (
          Pick<AdminTypes.Location, 'id' | 'name' | 'isActive'>
          & { fulfillmentService?: AdminTypes.Maybe<Pick<AdminTypes.FulfillmentService, 'handle'>> }
        ) }
      )>, pageInfo: Pick<AdminTypes.PageInfo, 'hasNextPage' | 'endCursor'> } }
  )> };

export type ReportedFulfillmentOrdersQueryVariables = AdminTypes.Exact<{
  ids: Array<AdminTypes.Scalars['ID']['input']> | AdminTypes.Scalars['ID']['input'];
}>;


export type ReportedFulfillmentOrdersQuery = { nodes: Array<AdminTypes.Maybe<(
    Pick<AdminTypes.FulfillmentOrder, 'id' | 'orderId' | 'orderName' | 'status' | 'requestStatus' | 'updatedAt'>
    & { assignedLocation: (
      Pick<AdminTypes.FulfillmentOrderAssignedLocation, 'name'>
      & { location?: AdminTypes.Maybe<Pick<AdminTypes.Location, 'id'>> }
    ), lineItems: { nodes: Array<(
        Pick<AdminTypes.FulfillmentOrderLineItem, 'totalQuantity' | 'remainingQuantity'>
        & { lineItem: Pick<AdminTypes.LineItem, 'id' | 'title' | 'quantity' | 'unfulfilledQuantity'> }
      )> } }
  )>> };

export type RefundCreateMutationVariables = AdminTypes.Exact<{
  input: AdminTypes.RefundInput;
  key: AdminTypes.Scalars['String']['input'];
}>;


export type RefundCreateMutation = { refundCreate?: AdminTypes.Maybe<{ refund?: AdminTypes.Maybe<(
      Pick<AdminTypes.Refund, 'id'>
      & { totalRefundedSet: { shopMoney: Pick<AdminTypes.MoneyV2, 'amount' | 'currencyCode'> } }
    )>, userErrors: Array<Pick<AdminTypes.UserError, 'field' | 'message'>> }> };

export type OrderRefundFactsQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type OrderRefundFactsQuery = { order?: AdminTypes.Maybe<(
    Pick<AdminTypes.Order, 'id' | 'presentmentCurrencyCode'>
    & { totalReceivedSet: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount'> }, totalRefundedSet: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount'> }, transactions: Array<(
      Pick<AdminTypes.OrderTransaction, 'id' | 'kind' | 'status' | 'gateway'>
      & { amountSet: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount'> }, parentTransaction?: AdminTypes.Maybe<Pick<AdminTypes.OrderTransaction, 'id'>> }
    )> }
  )> };

export type OrderCancelCheckQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
}>;


export type OrderCancelCheckQuery = { order?: AdminTypes.Maybe<(
    Pick<AdminTypes.Order, 'id' | 'returnStatus' | 'displayFinancialStatus'>
    & { purchasingEntity?: AdminTypes.Maybe<{ __typename: 'Customer' } | (
      { __typename: 'PurchasingCompany' }
      & { company: Pick<AdminTypes.Company, 'name'> }
    )>, fulfillmentOrders: { nodes: Array<(
        Pick<AdminTypes.FulfillmentOrder, 'id' | 'status'>
        & { assignedLocation: (
          Pick<AdminTypes.FulfillmentOrderAssignedLocation, 'name'>
          & { location?: AdminTypes.Maybe<Pick<AdminTypes.Location, 'id' | 'isActive'>> }
        ) }
      )> } }
  )> };

export type OrderSuggestedRefundQueryVariables = AdminTypes.Exact<{
  id: AdminTypes.Scalars['ID']['input'];
  refundLineItems: Array<AdminTypes.RefundLineItemInput> | AdminTypes.RefundLineItemInput;
}>;


export type OrderSuggestedRefundQuery = { order?: AdminTypes.Maybe<(
    Pick<AdminTypes.Order, 'id' | 'presentmentCurrencyCode'>
    & { suggestedRefund?: AdminTypes.Maybe<{ amountSet: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount'> }, subtotalSet: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount'> }, totalTaxSet: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount'> }, suggestedTransactions: Array<(
        Pick<AdminTypes.SuggestedOrderTransaction, 'gateway'>
        & { amountSet: { presentmentMoney: Pick<AdminTypes.MoneyV2, 'amount'> }, parentTransaction?: AdminTypes.Maybe<Pick<AdminTypes.OrderTransaction, 'id'>> }
      )> }> }
  )> };

interface GeneratedQueryTypes {
  "#graphql\n  query OrderSnapshot(\n    $id: ID!\n    $lines: Int!\n    $fulfillmentOrders: Int!\n    $fulfillmentOrderLines: Int!\n    $withLocations: Boolean = true\n    $withTotal: Boolean = true\n    $withOutstanding: Boolean = true\n    $withShippingAddress: Boolean = true\n    $withShippingLine: Boolean = true\n    $withCatalogue: Boolean = true\n    $withFulfillmentServices: Boolean = true\n  ) {\n    order(id: $id) {\n      ...OrderSnapshotOrder\n      lineItems(first: $lines) {\n        nodes {\n          ...OrderSnapshotLine\n        }\n      }\n      fulfillmentOrders(first: $fulfillmentOrders) {\n        nodes {\n          ...OrderSnapshotFulfillmentOrder\n          lineItems(first: $fulfillmentOrderLines) {\n            nodes {\n              id\n              remainingQuantity\n              totalQuantity\n              lineItem {\n                id\n              }\n            }\n          }\n        }\n      }\n    }\n    locations(first: 20, includeLegacy: true) @include(if: $withLocations) {\n      nodes {\n        ...ShopLocation\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n  #graphql\n  fragment OrderSnapshotOrder on Order {\n    id\n    name\n    createdAt\n    updatedAt\n    tags\n    note\n    closed\n    cancelledAt\n    displayFinancialStatus\n    capturable\n    sourceName\n    paymentGatewayNames\n    totalPriceSet @include(if: $withTotal) {\n      shopMoney {\n        amount\n        currencyCode\n      }\n    }\n    # What the order still owes (a cancel lowers it, not an authorization): a capture's cap. Not\n    # asked for an order its webhook said was paid in full: nothing is left to capture on it.\n    totalOutstandingSet @include(if: $withOutstanding) {\n      presentmentMoney {\n        amount\n      }\n    }\n    # Received less refunded, in the customer's currency: whether there is money to give back.\n    netPaymentSet @include(if: $withTotal) {\n      presentmentMoney {\n        amount\n        currencyCode\n      }\n    }\n    risk {\n      recommendation\n      assessments {\n        riskLevel\n      }\n    }\n    shippingAddress @include(if: $withShippingAddress) {\n      countryCodeV2\n      provinceCode\n    }\n    shippingLine @include(if: $withShippingLine) {\n      title\n      code\n    }\n    customer {\n      id\n      displayName\n      tags\n    }\n    transactions(first: 5, capturable: true) {\n      id\n      kind\n      status\n      authorizationExpiresAt\n      createdAt\n      gateway\n      # The customer's currency: orderCapture takes its amount in it (ADR 078).\n      totalUnsettledSet {\n        presentmentMoney {\n          amount\n          currencyCode\n        }\n      }\n    }\n    fulfillments(first: 10) {\n      id\n      displayStatus\n    }\n  }\n\n  #graphql\n  fragment OrderSnapshotLine on LineItem {\n    id\n    name\n    title\n    variantTitle\n    sku\n    quantity\n    unfulfilledQuantity\n    requiresShipping\n    isGiftCard\n    vendor\n    customAttributes {\n      key\n      value\n    }\n    variant @include(if: $withCatalogue) {\n      id\n      selectedOptions {\n        name\n        value\n      }\n    }\n    product @include(if: $withCatalogue) {\n      id\n      productType\n      tags\n    }\n  }\n\n  #graphql\n  fragment OrderSnapshotFulfillmentOrder on FulfillmentOrder {\n    id\n    status\n    requestStatus\n    updatedAt\n    assignedLocation {\n      name\n      location {\n        id\n        fulfillmentService @include(if: $withFulfillmentServices) {\n          handle\n          serviceName\n        }\n      }\n    }\n    supportedActions {\n      action\n    }\n    fulfillmentHolds {\n      id\n      handle\n      reason\n      reasonNotes\n      heldByRequestingApp\n    }\n  }\n\n  #graphql\n  fragment ShopLocation on Location {\n    id\n    name\n    isActive\n    fulfillmentService {\n      handle\n      serviceName\n    }\n  }\n\n": {return: OrderSnapshotQuery, variables: OrderSnapshotQueryVariables},
  "#graphql\n  query OrderRoutingSnapshot(\n    $id: ID!\n    $fulfillmentOrders: Int!\n    $fulfillmentOrderLines: Int!\n    $withLocations: Boolean = true\n    $withTotal: Boolean = true\n    $withOutstanding: Boolean = true\n    $withShippingAddress: Boolean = true\n    $withShippingLine: Boolean = true\n    $withCatalogue: Boolean = true\n    $withFulfillmentServices: Boolean = true\n  ) {\n    order(id: $id) {\n      ...OrderSnapshotOrder\n      fulfillmentOrders(first: $fulfillmentOrders) {\n        nodes {\n          ...RoutingFulfillmentOrder\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n    locations(first: 20, includeLegacy: true) @include(if: $withLocations) {\n      nodes {\n        ...ShopLocation\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n  #graphql\n  fragment OrderSnapshotOrder on Order {\n    id\n    name\n    createdAt\n    updatedAt\n    tags\n    note\n    closed\n    cancelledAt\n    displayFinancialStatus\n    capturable\n    sourceName\n    paymentGatewayNames\n    totalPriceSet @include(if: $withTotal) {\n      shopMoney {\n        amount\n        currencyCode\n      }\n    }\n    # What the order still owes (a cancel lowers it, not an authorization): a capture's cap. Not\n    # asked for an order its webhook said was paid in full: nothing is left to capture on it.\n    totalOutstandingSet @include(if: $withOutstanding) {\n      presentmentMoney {\n        amount\n      }\n    }\n    # Received less refunded, in the customer's currency: whether there is money to give back.\n    netPaymentSet @include(if: $withTotal) {\n      presentmentMoney {\n        amount\n        currencyCode\n      }\n    }\n    risk {\n      recommendation\n      assessments {\n        riskLevel\n      }\n    }\n    shippingAddress @include(if: $withShippingAddress) {\n      countryCodeV2\n      provinceCode\n    }\n    shippingLine @include(if: $withShippingLine) {\n      title\n      code\n    }\n    customer {\n      id\n      displayName\n      tags\n    }\n    transactions(first: 5, capturable: true) {\n      id\n      kind\n      status\n      authorizationExpiresAt\n      createdAt\n      gateway\n      # The customer's currency: orderCapture takes its amount in it (ADR 078).\n      totalUnsettledSet {\n        presentmentMoney {\n          amount\n          currencyCode\n        }\n      }\n    }\n    fulfillments(first: 10) {\n      id\n      displayStatus\n    }\n  }\n\n  #graphql\n  fragment OrderSnapshotLine on LineItem {\n    id\n    name\n    title\n    variantTitle\n    sku\n    quantity\n    unfulfilledQuantity\n    requiresShipping\n    isGiftCard\n    vendor\n    customAttributes {\n      key\n      value\n    }\n    variant @include(if: $withCatalogue) {\n      id\n      selectedOptions {\n        name\n        value\n      }\n    }\n    product @include(if: $withCatalogue) {\n      id\n      productType\n      tags\n    }\n  }\n\n  #graphql\n  fragment OrderSnapshotFulfillmentOrder on FulfillmentOrder {\n    id\n    status\n    requestStatus\n    updatedAt\n    assignedLocation {\n      name\n      location {\n        id\n        fulfillmentService @include(if: $withFulfillmentServices) {\n          handle\n          serviceName\n        }\n      }\n    }\n    supportedActions {\n      action\n    }\n    fulfillmentHolds {\n      id\n      handle\n      reason\n      reasonNotes\n      heldByRequestingApp\n    }\n  }\n\n  #graphql\n  fragment RoutingFulfillmentOrder on FulfillmentOrder {\n    ...OrderSnapshotFulfillmentOrder\n    lineItems(first: $fulfillmentOrderLines) {\n      nodes {\n        ...RoutingFulfillmentOrderLine\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n  #graphql\n  fragment RoutingFulfillmentOrderLine on FulfillmentOrderLineItem {\n    id\n    remainingQuantity\n    totalQuantity\n    inventoryItemId\n    lineItem {\n      ...OrderSnapshotLine\n    }\n  }\n\n\n  #graphql\n  fragment ShopLocation on Location {\n    id\n    name\n    isActive\n    fulfillmentService {\n      handle\n      serviceName\n    }\n  }\n\n": {return: OrderRoutingSnapshotQuery, variables: OrderRoutingSnapshotQueryVariables},
  "#graphql\n  query OrderFulfillmentOrdersPage(\n    $id: ID!\n    $after: String!\n    $fulfillmentOrders: Int!\n    $fulfillmentOrderLines: Int!\n    $withCatalogue: Boolean = true\n    $withFulfillmentServices: Boolean = true\n  ) {\n    order(id: $id) {\n      id\n      fulfillmentOrders(first: $fulfillmentOrders, after: $after) {\n        nodes {\n          ...RoutingFulfillmentOrder\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n  #graphql\n  fragment OrderSnapshotLine on LineItem {\n    id\n    name\n    title\n    variantTitle\n    sku\n    quantity\n    unfulfilledQuantity\n    requiresShipping\n    isGiftCard\n    vendor\n    customAttributes {\n      key\n      value\n    }\n    variant @include(if: $withCatalogue) {\n      id\n      selectedOptions {\n        name\n        value\n      }\n    }\n    product @include(if: $withCatalogue) {\n      id\n      productType\n      tags\n    }\n  }\n\n  #graphql\n  fragment OrderSnapshotFulfillmentOrder on FulfillmentOrder {\n    id\n    status\n    requestStatus\n    updatedAt\n    assignedLocation {\n      name\n      location {\n        id\n        fulfillmentService @include(if: $withFulfillmentServices) {\n          handle\n          serviceName\n        }\n      }\n    }\n    supportedActions {\n      action\n    }\n    fulfillmentHolds {\n      id\n      handle\n      reason\n      reasonNotes\n      heldByRequestingApp\n    }\n  }\n\n  #graphql\n  fragment RoutingFulfillmentOrder on FulfillmentOrder {\n    ...OrderSnapshotFulfillmentOrder\n    lineItems(first: $fulfillmentOrderLines) {\n      nodes {\n        ...RoutingFulfillmentOrderLine\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n  #graphql\n  fragment RoutingFulfillmentOrderLine on FulfillmentOrderLineItem {\n    id\n    remainingQuantity\n    totalQuantity\n    inventoryItemId\n    lineItem {\n      ...OrderSnapshotLine\n    }\n  }\n\n\n": {return: OrderFulfillmentOrdersPageQuery, variables: OrderFulfillmentOrdersPageQueryVariables},
  "#graphql\n  query FulfillmentOrderLinesPage(\n    $id: ID!\n    $after: String!\n    $fulfillmentOrderLines: Int!\n    $withCatalogue: Boolean = true\n  ) {\n    fulfillmentOrder(id: $id) {\n      id\n      lineItems(first: $fulfillmentOrderLines, after: $after) {\n        nodes {\n          ...RoutingFulfillmentOrderLine\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n  #graphql\n  fragment OrderSnapshotLine on LineItem {\n    id\n    name\n    title\n    variantTitle\n    sku\n    quantity\n    unfulfilledQuantity\n    requiresShipping\n    isGiftCard\n    vendor\n    customAttributes {\n      key\n      value\n    }\n    variant @include(if: $withCatalogue) {\n      id\n      selectedOptions {\n        name\n        value\n      }\n    }\n    product @include(if: $withCatalogue) {\n      id\n      productType\n      tags\n    }\n  }\n\n  #graphql\n  fragment RoutingFulfillmentOrderLine on FulfillmentOrderLineItem {\n    id\n    remainingQuantity\n    totalQuantity\n    inventoryItemId\n    lineItem {\n      ...OrderSnapshotLine\n    }\n  }\n\n": {return: FulfillmentOrderLinesPageQuery, variables: FulfillmentOrderLinesPageQueryVariables},
  "#graphql\n  query CatalogueItems($ids: [ID!]!) {\n    nodes(ids: $ids) {\n      ... on InventoryItem {\n        id\n        variants(first: 1) {\n          nodes {\n            id\n            selectedOptions {\n              name\n              value\n            }\n            product {\n              id\n              productType\n              tags\n            }\n          }\n        }\n      }\n    }\n  }\n": {return: CatalogueItemsQuery, variables: CatalogueItemsQueryVariables},
  "#graphql\n  query StockAtLocation($ids: [ID!]!, $locationId: ID!) {\n    nodes(ids: $ids) {\n      ... on InventoryItem {\n        id\n        tracked\n        inventoryLevel(locationId: $locationId) {\n          quantities(names: [\"available\", \"committed\"]) {\n            name\n            quantity\n          }\n        }\n      }\n    }\n  }\n": {return: StockAtLocationQuery, variables: StockAtLocationQueryVariables},
  "#graphql\n  query PaidOrdersSince($query: String!, $after: String) {\n    orders(first: 100, after: $after, query: $query, sortKey: UPDATED_AT) {\n      nodes {\n        id\n        name\n        updatedAt\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": {return: PaidOrdersSinceQuery, variables: PaidOrdersSinceQueryVariables},
  "#graphql\n  query HeldFulfillmentOrdersSince($query: String!, $after: String) {\n    fulfillmentOrders(first: 100, after: $after, includeClosed: false, query: $query) {\n      nodes {\n        id\n        orderId\n        updatedAt\n        fulfillmentHolds {\n          handle\n          heldByRequestingApp\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": {return: HeldFulfillmentOrdersSinceQuery, variables: HeldFulfillmentOrdersSinceQueryVariables},
  "#graphql\n  query Locations($after: String) {\n    locations(first: 250, after: $after, includeLegacy: true) {\n      nodes {\n        ...ShopLocation\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n  #graphql\n  fragment ShopLocation on Location {\n    id\n    name\n    isActive\n    fulfillmentService {\n      handle\n      serviceName\n    }\n  }\n\n": {return: LocationsQuery, variables: LocationsQueryVariables},
  "#graphql\n  query ExtraChargeDraft($id: ID!) {\n    draftOrder(id: $id) {\n      id\n      status\n      order {\n        id\n        name\n        displayFinancialStatus\n      }\n    }\n  }\n": {return: ExtraChargeDraftQuery, variables: ExtraChargeDraftQueryVariables},
  "#graphql\n  query OriginalLink($id: ID!) {\n    order(id: $id) {\n      id\n      cancelledAt\n      note\n    }\n  }\n": {return: OriginalLinkQuery, variables: OriginalLinkQueryVariables},
  "#graphql\n  query TaggedDraftOrders($query: String!) {\n    draftOrders(first: 25, query: $query, sortKey: ID, reverse: true) {\n      nodes {\n        id\n        name\n        status\n        customAttributes {\n          key\n          value\n        }\n      }\n    }\n  }\n": {return: TaggedDraftOrdersQuery, variables: TaggedDraftOrdersQueryVariables},
  "#graphql\n  query RemakeSource($id: ID!, $lines: Int!) {\n    order(id: $id) {\n      id\n      name\n      email\n      cancelledAt\n      currencyCode\n      presentmentCurrencyCode\n      tags\n      note\n      shippingAddress {\n        firstName\n        lastName\n        company\n        address1\n        address2\n        city\n        provinceCode\n        zip\n        countryCodeV2\n        phone\n      }\n      lineItems(first: $lines) {\n        nodes {\n          id\n          title\n          variantTitle\n          sku\n          quantity\n          variant {\n            id\n          }\n          customAttributes {\n            key\n            value\n          }\n        }\n      }\n    }\n  }\n": {return: RemakeSourceQuery, variables: RemakeSourceQueryVariables},
  "#graphql\n  query OrderCancelJob($jobId: ID!, $resultId: ID!) {\n    job(id: $jobId) {\n      id\n      done\n    }\n    node(id: $resultId) {\n      ... on OrderCancelJobResult {\n        status\n        errors {\n          field\n          message\n          code\n        }\n      }\n    }\n  }\n": {return: OrderCancelJobQuery, variables: OrderCancelJobQueryVariables},
  "#graphql\n  query FulfillmentOrderOrder($id: ID!) {\n    fulfillmentOrder(id: $id) {\n      id\n      orderId\n    }\n  }\n": {return: FulfillmentOrderOrderQuery, variables: FulfillmentOrderOrderQueryVariables},
  "#graphql\n  query AwaitedFulfillmentOrders($ids: [ID!]!) {\n    nodes(ids: $ids) {\n      ... on FulfillmentOrder {\n        id\n        orderId\n        status\n        requestStatus\n      }\n    }\n  }\n": {return: AwaitedFulfillmentOrdersQuery, variables: AwaitedFulfillmentOrdersQueryVariables},
  "#graphql\n  query WebhookSubscriptions($topics: [WebhookSubscriptionTopic!]) {\n    webhookSubscriptions(first: 25, topics: $topics) {\n      nodes {\n        id\n        uri\n      }\n    }\n  }\n": {return: WebhookSubscriptionsQuery, variables: WebhookSubscriptionsQueryVariables},
  "#graphql\n  query LocationFulfillmentOrders($after: String, $query: String!) {\n    fulfillmentOrders(first: 250, after: $after, includeClosed: false, query: $query) {\n      nodes {\n        id\n        orderId\n        orderName\n        status\n        requestStatus\n        updatedAt\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": {return: LocationFulfillmentOrdersQuery, variables: LocationFulfillmentOrdersQueryVariables},
  "#graphql\n  query FulfillmentOrderActions($ids: [ID!]!) {\n    nodes(ids: $ids) {\n      ... on FulfillmentOrder {\n        id\n        supportedActions {\n          action\n        }\n      }\n    }\n  }\n": {return: FulfillmentOrderActionsQuery, variables: FulfillmentOrderActionsQueryVariables},
  "#graphql\n  #graphql\n  fragment StuckLine on FulfillmentOrderLineItem {\n    remainingQuantity\n    lineItem {\n      id\n      requiresShipping\n      variant {\n        selectedOptions {\n          name\n          value\n        }\n      }\n      product {\n        productType\n      }\n    }\n  }\n\n  query StuckFulfillmentOrderLines($ids: [ID!]!) {\n    nodes(ids: $ids) {\n      ... on FulfillmentOrder {\n        id\n        lineItems(first: 20) {\n          nodes {\n            ...StuckLine\n          }\n          pageInfo {\n            hasNextPage\n            endCursor\n          }\n        }\n      }\n    }\n  }\n": {return: StuckFulfillmentOrderLinesQuery, variables: StuckFulfillmentOrderLinesQueryVariables},
  "#graphql\n  #graphql\n  fragment StuckLine on FulfillmentOrderLineItem {\n    remainingQuantity\n    lineItem {\n      id\n      requiresShipping\n      variant {\n        selectedOptions {\n          name\n          value\n        }\n      }\n      product {\n        productType\n      }\n    }\n  }\n\n  query StuckFulfillmentOrderLinesPage($id: ID!, $after: String!) {\n    fulfillmentOrder(id: $id) {\n      lineItems(first: 50, after: $after) {\n        nodes {\n          ...StuckLine\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": {return: StuckFulfillmentOrderLinesPageQuery, variables: StuckFulfillmentOrderLinesPageQueryVariables},
  "#graphql\n  query FulfillmentOrdersShopifyAllows(\n    $ids: [ID!]!\n    $locationIds: [ID!]!\n    $locations: Int!\n    $lines: Int!\n    $move: Boolean!\n    $merge: Boolean!\n  ) {\n    nodes(ids: $ids) {\n      ... on FulfillmentOrder {\n        id\n        locationsForMove(first: $locations, locationIds: $locationIds) @include(if: $move) {\n          nodes {\n            movable\n            message\n            location {\n              id\n            }\n            availableLineItems(first: $lines) {\n              nodes {\n                id\n              }\n            }\n          }\n        }\n        fulfillmentOrdersForMerge(first: 50) @include(if: $merge) {\n          nodes {\n            id\n          }\n        }\n      }\n    }\n  }\n": {return: FulfillmentOrdersShopifyAllowsQuery, variables: FulfillmentOrdersShopifyAllowsQueryVariables},
  "#graphql\n  query FulfillmentOrderLocationsForMove($id: ID!, $after: String) {\n    fulfillmentOrder(id: $id) {\n      id\n      assignedLocation {\n        location {\n          id\n        }\n      }\n      locationsForMove(first: 50, after: $after) {\n        nodes {\n          movable\n          message\n          location {\n            id\n            name\n            isActive\n            fulfillmentService {\n              handle\n            }\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": {return: FulfillmentOrderLocationsForMoveQuery, variables: FulfillmentOrderLocationsForMoveQueryVariables},
  "#graphql\n  query ReportedFulfillmentOrders($ids: [ID!]!) {\n    nodes(ids: $ids) {\n      ... on FulfillmentOrder {\n        id\n        orderId\n        orderName\n        status\n        requestStatus\n        updatedAt\n        assignedLocation {\n          name\n          location {\n            id\n          }\n        }\n        lineItems(first: 20) {\n          nodes {\n            totalQuantity\n            remainingQuantity\n            lineItem {\n              id\n              title\n              quantity\n              unfulfilledQuantity\n            }\n          }\n        }\n      }\n    }\n  }\n": {return: ReportedFulfillmentOrdersQuery, variables: ReportedFulfillmentOrdersQueryVariables},
  "#graphql\n  query OrderRefundFacts($id: ID!) {\n    order(id: $id) {\n      id\n      presentmentCurrencyCode\n      totalReceivedSet {\n        presentmentMoney {\n          amount\n        }\n      }\n      totalRefundedSet {\n        presentmentMoney {\n          amount\n        }\n      }\n      transactions(first: 20) {\n        id\n        kind\n        status\n        gateway\n        amountSet {\n          presentmentMoney {\n            amount\n          }\n        }\n        parentTransaction {\n          id\n        }\n      }\n    }\n  }\n": {return: OrderRefundFactsQuery, variables: OrderRefundFactsQueryVariables},
  "#graphql\n  query OrderCancelCheck($id: ID!) {\n    order(id: $id) {\n      id\n      returnStatus\n      displayFinancialStatus\n      purchasingEntity {\n        __typename\n        ... on PurchasingCompany {\n          company {\n            name\n          }\n        }\n      }\n      fulfillmentOrders(first: 50) {\n        nodes {\n          id\n          status\n          assignedLocation {\n            name\n            location {\n              id\n              isActive\n            }\n          }\n        }\n      }\n    }\n  }\n": {return: OrderCancelCheckQuery, variables: OrderCancelCheckQueryVariables},
  "#graphql\n  query OrderSuggestedRefund($id: ID!, $refundLineItems: [RefundLineItemInput!]!) {\n    order(id: $id) {\n      id\n      presentmentCurrencyCode\n      suggestedRefund(refundLineItems: $refundLineItems) {\n        amountSet {\n          presentmentMoney {\n            amount\n          }\n        }\n        subtotalSet {\n          presentmentMoney {\n            amount\n          }\n        }\n        totalTaxSet {\n          presentmentMoney {\n            amount\n          }\n        }\n        suggestedTransactions {\n          gateway\n          amountSet {\n            presentmentMoney {\n              amount\n            }\n          }\n          parentTransaction {\n            id\n          }\n        }\n      }\n    }\n  }\n": {return: OrderSuggestedRefundQuery, variables: OrderSuggestedRefundQueryVariables},
}

interface GeneratedMutationTypes {
  "#graphql\n  mutation FulfillmentOrderHold($id: ID!, $fulfillmentHold: FulfillmentOrderHoldInput!) {\n    fulfillmentOrderHold(id: $id, fulfillmentHold: $fulfillmentHold) {\n      fulfillmentHold {\n        id\n        handle\n        reason\n      }\n      fulfillmentOrder {\n        id\n        status\n        requestStatus\n        fulfillmentHolds {\n          id\n          handle\n          reason\n          reasonNotes\n          heldByRequestingApp\n        }\n        supportedActions {\n          action\n        }\n      }\n      remainingFulfillmentOrder {\n        id\n        status\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: FulfillmentOrderHoldMutation, variables: FulfillmentOrderHoldMutationVariables},
  "#graphql\n  mutation FulfillmentOrderReleaseHold($id: ID!, $holdIds: [ID!]) {\n    fulfillmentOrderReleaseHold(id: $id, holdIds: $holdIds) {\n      fulfillmentOrder {\n        id\n        status\n        requestStatus\n        fulfillmentHolds {\n          id\n          handle\n          reason\n          reasonNotes\n          heldByRequestingApp\n        }\n        supportedActions {\n          action\n        }\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: FulfillmentOrderReleaseHoldMutation, variables: FulfillmentOrderReleaseHoldMutationVariables},
  "#graphql\n  mutation FulfillmentOrderSplit(\n    $fulfillmentOrderSplits: [FulfillmentOrderSplitInput!]!\n    $fulfillmentOrderLines: Int!\n    $withFulfillmentServices: Boolean = true\n  ) {\n    fulfillmentOrderSplit(fulfillmentOrderSplits: $fulfillmentOrderSplits) {\n      fulfillmentOrderSplits {\n        fulfillmentOrder {\n          ...ChangedFulfillmentOrder\n        }\n        remainingFulfillmentOrder {\n          ...ChangedFulfillmentOrder\n        }\n        replacementFulfillmentOrder {\n          id\n        }\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n  #graphql\n  fragment ChangedFulfillmentOrder on FulfillmentOrder {\n    ...OrderSnapshotFulfillmentOrder\n    lineItems(first: $fulfillmentOrderLines) {\n      nodes {\n        id\n        remainingQuantity\n        totalQuantity\n        lineItem {\n          id\n        }\n      }\n    }\n  }\n\n  #graphql\n  fragment OrderSnapshotFulfillmentOrder on FulfillmentOrder {\n    id\n    status\n    requestStatus\n    updatedAt\n    assignedLocation {\n      name\n      location {\n        id\n        fulfillmentService @include(if: $withFulfillmentServices) {\n          handle\n          serviceName\n        }\n      }\n    }\n    supportedActions {\n      action\n    }\n    fulfillmentHolds {\n      id\n      handle\n      reason\n      reasonNotes\n      heldByRequestingApp\n    }\n  }\n\n": {return: FulfillmentOrderSplitMutation, variables: FulfillmentOrderSplitMutationVariables},
  "#graphql\n  mutation FulfillmentOrderMerge($fulfillmentOrderMergeInputs: [FulfillmentOrderMergeInput!]!) {\n    fulfillmentOrderMerge(fulfillmentOrderMergeInputs: $fulfillmentOrderMergeInputs) {\n      fulfillmentOrderMerges {\n        fulfillmentOrder {\n          id\n          status\n        }\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: FulfillmentOrderMergeMutation, variables: FulfillmentOrderMergeMutationVariables},
  "#graphql\n  mutation FulfillmentOrderMove(\n    $id: ID!\n    $newLocationId: ID!\n    $fulfillmentOrderLineItems: [FulfillmentOrderLineItemInput!]\n    $fulfillmentOrderLines: Int!\n    $withOriginalLines: Boolean!\n    $withOrderFulfillmentOrders: Boolean = false\n    $orderFulfillmentOrders: Int = 1\n    $withFulfillmentServices: Boolean = true\n  ) {\n    fulfillmentOrderMove(\n      id: $id\n      newLocationId: $newLocationId\n      fulfillmentOrderLineItems: $fulfillmentOrderLineItems\n    ) {\n      movedFulfillmentOrder {\n        ...ChangedFulfillmentOrder\n        order @include(if: $withOrderFulfillmentOrders) {\n          fulfillmentOrders(first: $orderFulfillmentOrders) {\n            nodes {\n              id\n              status\n            }\n          }\n        }\n      }\n      originalFulfillmentOrder {\n        id\n        status\n        ...ChangedFulfillmentOrder @include(if: $withOriginalLines)\n      }\n      remainingFulfillmentOrder {\n        id\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n  #graphql\n  fragment ChangedFulfillmentOrder on FulfillmentOrder {\n    ...OrderSnapshotFulfillmentOrder\n    lineItems(first: $fulfillmentOrderLines) {\n      nodes {\n        id\n        remainingQuantity\n        totalQuantity\n        lineItem {\n          id\n        }\n      }\n    }\n  }\n\n  #graphql\n  fragment OrderSnapshotFulfillmentOrder on FulfillmentOrder {\n    id\n    status\n    requestStatus\n    updatedAt\n    assignedLocation {\n      name\n      location {\n        id\n        fulfillmentService @include(if: $withFulfillmentServices) {\n          handle\n          serviceName\n        }\n      }\n    }\n    supportedActions {\n      action\n    }\n    fulfillmentHolds {\n      id\n      handle\n      reason\n      reasonNotes\n      heldByRequestingApp\n    }\n  }\n\n": {return: FulfillmentOrderMoveMutation, variables: FulfillmentOrderMoveMutationVariables},
  "#graphql\n  mutation FulfillmentOrderSubmitFulfillmentRequest($id: ID!, $message: String, $notifyCustomer: Boolean) {\n    fulfillmentOrderSubmitFulfillmentRequest(id: $id, message: $message, notifyCustomer: $notifyCustomer) {\n      submittedFulfillmentOrder {\n        id\n        status\n        requestStatus\n        fulfillmentHolds {\n          id\n          handle\n          reason\n          reasonNotes\n          heldByRequestingApp\n        }\n        supportedActions {\n          action\n        }\n      }\n      unsubmittedFulfillmentOrder {\n        id\n      }\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: FulfillmentOrderSubmitFulfillmentRequestMutation, variables: FulfillmentOrderSubmitFulfillmentRequestMutationVariables},
  "#graphql\n  mutation FulfillmentCreate($fulfillment: FulfillmentInput!) {\n    fulfillmentCreate(fulfillment: $fulfillment) {\n      fulfillment {\n        id\n        status\n        displayStatus\n      }\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: FulfillmentCreateMutation, variables: FulfillmentCreateMutationVariables},
  "#graphql\n  mutation FulfillmentOrderCancel($id: ID!) {\n    fulfillmentOrderCancel(id: $id) {\n      fulfillmentOrder {\n        id\n        status\n        requestStatus\n      }\n      replacementFulfillmentOrder {\n        id\n        status\n      }\n      userErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: FulfillmentOrderCancelMutation, variables: FulfillmentOrderCancelMutationVariables},
  "#graphql\n  mutation FulfillmentOrderSubmitCancellationRequest($id: ID!, $message: String) {\n    fulfillmentOrderSubmitCancellationRequest(id: $id, message: $message) {\n      fulfillmentOrder {\n        id\n        status\n        requestStatus\n      }\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: FulfillmentOrderSubmitCancellationRequestMutation, variables: FulfillmentOrderSubmitCancellationRequestMutationVariables},
  "#graphql\n  mutation OrderCapture($input: OrderCaptureInput!) {\n    orderCapture(input: $input) {\n      transaction {\n        id\n        kind\n        status\n      }\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: OrderCaptureMutation, variables: OrderCaptureMutationVariables},
  "#graphql\n  mutation TagsAdd($id: ID!, $tags: [String!]!) {\n    tagsAdd(id: $id, tags: $tags) {\n      node {\n        id\n      }\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: TagsAddMutation, variables: TagsAddMutationVariables},
  "#graphql\n  mutation OrderNoteUpdate($input: OrderInput!) {\n    orderUpdate(input: $input) {\n      order {\n        id\n        note\n      }\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: OrderNoteUpdateMutation, variables: OrderNoteUpdateMutationVariables},
  "#graphql\n  mutation OrderClose($input: OrderCloseInput!) {\n    orderClose(input: $input) {\n      order {\n        id\n        closed\n      }\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: OrderCloseMutation, variables: OrderCloseMutationVariables},
  "#graphql\n  mutation OrderCancel(\n    $orderId: ID!\n    $reason: OrderCancelReason!\n    $refundMethod: OrderCancelRefundMethodInput\n    $restock: Boolean!\n    $notifyCustomer: Boolean\n    $staffNote: String\n  ) {\n    orderCancel(\n      orderId: $orderId\n      reason: $reason\n      refundMethod: $refundMethod\n      restock: $restock\n      notifyCustomer: $notifyCustomer\n      staffNote: $staffNote\n    ) {\n      job {\n        id\n        done\n      }\n      jobResult {\n        id\n      }\n      orderCancelUserErrors {\n        field\n        message\n        code\n      }\n    }\n  }\n": {return: OrderCancelMutation, variables: OrderCancelMutationVariables},
  "#graphql\n  mutation DraftOrderCreate($input: DraftOrderInput!) {\n    draftOrderCreate(input: $input) {\n      draftOrder {\n        id\n        name\n      }\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: DraftOrderCreateMutation, variables: DraftOrderCreateMutationVariables},
  "#graphql\n  mutation DraftOrderComplete($id: ID!) {\n    draftOrderComplete(id: $id) {\n      draftOrder {\n        id\n        status\n        order {\n          id\n          name\n        }\n      }\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: DraftOrderCompleteMutation, variables: DraftOrderCompleteMutationVariables},
  "#graphql\n  mutation DraftOrderDelete($input: DraftOrderDeleteInput!) {\n    draftOrderDelete(input: $input) {\n      deletedId\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: DraftOrderDeleteMutation, variables: DraftOrderDeleteMutationVariables},
  "#graphql\n  mutation DraftOrderInvoiceSend($id: ID!, $email: EmailInput) {\n    draftOrderInvoiceSend(id: $id, email: $email) {\n      draftOrder {\n        id\n        name\n        status\n        invoiceUrl\n        invoiceSentAt\n      }\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: DraftOrderInvoiceSendMutation, variables: DraftOrderInvoiceSendMutationVariables},
  "#graphql\n  mutation TagsRemove($id: ID!, $tags: [String!]!) {\n    tagsRemove(id: $id, tags: $tags) {\n      node {\n        id\n      }\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: TagsRemoveMutation, variables: TagsRemoveMutationVariables},
  "#graphql\n  mutation FlowTriggerReceive($handle: String!, $payload: JSON!) {\n    flowTriggerReceive(handle: $handle, payload: $payload) {\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: FlowTriggerReceiveMutation, variables: FlowTriggerReceiveMutationVariables},
  "#graphql\n  mutation WebhookSubscriptionCreate(\n    $topic: WebhookSubscriptionTopic!\n    $webhookSubscription: WebhookSubscriptionInput!\n  ) {\n    webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {\n      webhookSubscription {\n        id\n        uri\n      }\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: WebhookSubscriptionCreateMutation, variables: WebhookSubscriptionCreateMutationVariables},
  "#graphql\n  mutation WebhookSubscriptionDelete($id: ID!) {\n    webhookSubscriptionDelete(id: $id) {\n      deletedWebhookSubscriptionId\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: WebhookSubscriptionDeleteMutation, variables: WebhookSubscriptionDeleteMutationVariables},
  "#graphql\n  mutation RefundCreate($input: RefundInput!, $key: String!) {\n    refundCreate(input: $input) @idempotent(key: $key) {\n      refund {\n        id\n        totalRefundedSet {\n          shopMoney {\n            amount\n            currencyCode\n          }\n        }\n      }\n      userErrors {\n        field\n        message\n      }\n    }\n  }\n": {return: RefundCreateMutation, variables: RefundCreateMutationVariables},
}
declare module '@shopify/admin-api-client' {
  type InputMaybe<T> = AdminTypes.InputMaybe<T>;
  interface AdminQueries extends GeneratedQueryTypes {}
  interface AdminMutations extends GeneratedMutationTypes {}
}
