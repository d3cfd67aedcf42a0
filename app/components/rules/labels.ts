// The rule language in the merchant's words, for the editor's choices and the dry-run's outcomes.
import {
  CONDITION_FIELDS,
  FULFILLMENT_HOLD_REASONS,
  HOLD_REASON_LABELS,
  LINE_CONDITION_FIELDS,
  PAYMENT_STATES,
  RISK_LEVELS,
  type ActionType,
  type ConditionField,
  type FulfillmentOrderOutcome,
} from "../../routing";

export const FIELD_LABELS: Record<ConditionField, string> = {
  product_type: "Product type",
  vendor: "Vendor",
  sku: "SKU",
  product_tag: "Product tag",
  variant_option: "Variant option (Paper, Size…)",
  requires_shipping: "Requires shipping",
  gift_card: "Gift card",
  order_tag: "Order tag",
  customer_tag: "Customer tag",
  order_total: "Order total",
  destination_country: "Destination country",
  destination_province: "Destination province or state",
  shipping_method: "Shipping method",
  risk_level: "Risk level",
  payment_state: "Payment status",
  sales_channel: "Sales channel",
  assigned_location: "Assigned location",
  fulfilment_service: "Fulfilment service",
};

const byGroup = (fields: readonly ConditionField[]) =>
  fields.map((field) => ({ label: FIELD_LABELS[field], value: field }));

/** Select options for "what to check", in two groups so line and order questions read apart. */
export function fieldOptions(lineOnly: boolean) {
  const lineFields = byGroup(LINE_CONDITION_FIELDS);
  if (lineOnly) return [{ label: "Choose…", value: "" }, ...lineFields];
  const orderFields = byGroup(
    CONDITION_FIELDS.filter((f) => !(LINE_CONDITION_FIELDS as readonly string[]).includes(f)),
  );
  return [
    { label: "Choose…", value: "" },
    { title: "About a line", options: lineFields },
    { title: "About the order", options: orderFields },
  ];
}

const OPERATOR_WORDS: Record<string, string> = {
  equals: "is",
  not_equals: "is not",
  in: "is one of",
  not_in: "is none of",
  contains: "contains",
  not_contains: "does not contain",
  starts_with: "starts with",
  exists: "is set or not set",
  greater_than: "is more than",
  less_than: "is less than",
};

/** Operator words that fit the field: tags are "included", risk is "higher". */
export function operatorLabel(field: ConditionField | "", operator: string): string {
  const tags = field === "product_tag" || field === "order_tag" || field === "customer_tag";
  if (tags) {
    const words: Record<string, string> = {
      contains: "include",
      not_contains: "do not include",
      in: "include any of",
      not_in: "include none of",
      exists: "are present or absent",
    };
    if (words[operator]) return words[operator]!;
  }
  if (field === "risk_level" && operator === "greater_than") return "is higher than";
  if (field === "risk_level" && operator === "less_than") return "is lower than";
  return OPERATOR_WORDS[operator] ?? operator;
}

export const RISK_OPTIONS = RISK_LEVELS.map((level) => ({
  label: level.charAt(0) + level.slice(1).toLowerCase(),
  value: level,
}));
export const PAYMENT_OPTIONS = PAYMENT_STATES.map((state) => ({
  label: state.charAt(0).toUpperCase() + state.slice(1).replace(/_/g, " "),
  value: state,
}));

export const ACTION_LABELS: Record<ActionType, string> = {
  fulfil_automatically: "Fulfil automatically",
  hold_for_review: "Hold for review",
  hold: "Hold with a reason",
  release_holds: "Release holds",
  split: "Split the fulfillment order",
  merge: "Merge fulfillment orders at one location",
  move: "Move to another location",
  submit_fulfilment_request: "Send to the fulfilment service (lab, partner, 3PL)",
  capture_payment: "Capture payment",
  add_order_tags: "Add order tags",
  add_staff_note: "Add a staff note",
  archive_order: "Archive the order",
};

export const ACTION_OPTIONS = [
  { label: "Choose…", value: "" },
  ...(Object.keys(ACTION_LABELS) as ActionType[]).map((type) => ({
    label: ACTION_LABELS[type],
    value: type,
  })),
];

export const HOLD_REASON_OPTIONS = FULFILLMENT_HOLD_REASONS.map((reason) => ({
  label: HOLD_REASON_LABELS[reason],
  value: reason,
}));

export const SPLIT_OPTIONS = [
  { label: "By what each location can produce (capability profiles)", value: "capability" },
  { label: "By vendor", value: "vendor" },
  { label: "By stock: ship what is in stock now, the rest later", value: "stock" },
  { label: "Split off the lines that match conditions", value: "line_condition" },
];

export const CAPTURE_OPTIONS = [
  { label: "Now", value: "now" },
  { label: "When the merchant approves (or the lab accepts)", value: "on_approval" },
  { label: "When everything is fulfilled", value: "on_fulfilment" },
];

export const ARCHIVE_OPTIONS = [
  { label: "Once everything is fulfilled", value: "fulfilled" },
  { label: "Once everything is delivered", value: "delivered" },
];

export const RELEASE_OPTIONS = [
  { label: "Holds this app placed", value: "this_app" },
  { label: "All holds, including staff's and other apps'", value: "anyone" },
];

export const OUTCOME_LABELS: Record<FulfillmentOrderOutcome, string> = {
  routing: "Being split, moved or merged",
  held: "On hold",
  releasing: "Holds released",
  fulfilling: "Fulfilled automatically",
  requesting: "Sent to the fulfilment service",
  waiting_for_you: "Waits for you to fulfil",
  in_progress: "In progress elsewhere",
  done: "Done",
  needs_attention: "Needs attention",
};
