// The rule language in the admin's language, for the editor's choices: the ids come from the
// domain's one vocabulary (app/routing), the words from the catalogue (app/i18n/locales).
import type { TFunction } from "i18next";
import {
  ACTION_TYPES,
  ARCHIVE_WHEN,
  CAPTURE_WHEN,
  CONDITION_FIELDS,
  EXTRA_CHARGE_STATES,
  FULFILLMENT_HOLD_REASONS,
  LINE_CONDITION_FIELDS,
  PAYMENT_STATES,
  RELEASE_PLACED_BY,
  RISK_LEVELS,
  SPLIT_BY,
  operatorWord,
  type ConditionField,
  type PaymentState,
} from "../../routing";

export interface Option {
  label: string;
  value: string;
}

const choose = (t: TFunction): Option => ({ label: t("common.choose"), value: "" });

/** Select options for "what to check", in two groups so line and order questions read apart. */
export function fieldOptions(t: TFunction, lineOnly: boolean) {
  const byGroup = (fields: readonly ConditionField[]) =>
    fields.map((field) => ({ label: t(`field.${field}`), value: field }));
  const lineFields = byGroup(LINE_CONDITION_FIELDS);
  if (lineOnly) return [choose(t), ...lineFields];
  const orderFields = byGroup(
    CONDITION_FIELDS.filter((f) => !(LINE_CONDITION_FIELDS as readonly string[]).includes(f)),
  );
  return [
    choose(t),
    { title: t("rules.condition.aboutLine"), options: lineFields },
    { title: t("rules.condition.aboutOrder"), options: orderFields },
  ];
}

/** Operator words that fit the field (tags are "included", risk is "higher"), from the vocabulary. */
export function operatorLabel(t: TFunction, field: ConditionField | "", operator: string): string {
  const word = operatorWord(field, operator);
  return word ? t(`operator.${word}`) : operator;
}

export const riskOptions = (t: TFunction): Option[] =>
  RISK_LEVELS.map((level) => ({ label: t(`risk.${level}`), value: level }));

/** Shopify's payment statuses in Shopify admin's words. */
export const paymentLabel = (t: TFunction, state: PaymentState) =>
  t(`shopifyStatus.${state.toUpperCase() as Uppercase<PaymentState>}`);
export const paymentOptions = (t: TFunction): Option[] =>
  PAYMENT_STATES.map((state) => ({ label: paymentLabel(t, state), value: state }));

export const actionOptions = (t: TFunction): Option[] => [
  choose(t),
  ...ACTION_TYPES.map((type) => ({ label: t(`action.${type}`), value: type })),
];

export const holdReasonOptions = (t: TFunction): Option[] =>
  FULFILLMENT_HOLD_REASONS.map((reason) => ({ label: t(`holdReason.${reason}`), value: reason }));

export const splitOptions = (t: TFunction): Option[] =>
  SPLIT_BY.map((by) => ({ label: t(`splitBy.${by}`), value: by }));

/** The rule condition "extra charge": none, waiting for payment, paid. */
export const extraChargeOptions = (t: TFunction): Option[] =>
  EXTRA_CHARGE_STATES.map((state) => ({ label: t(`charge.state.${state}`), value: state }));

export const captureOptions = (t: TFunction): Option[] =>
  CAPTURE_WHEN.map((when) => ({ label: t(`captureWhen.${when}`), value: when }));

export const archiveOptions = (t: TFunction): Option[] =>
  ARCHIVE_WHEN.map((when) => ({ label: t(`archiveWhen.${when}`), value: when }));

export const releaseOptions = (t: TFunction): Option[] =>
  RELEASE_PLACED_BY.map((by) => ({ label: t(`releasePlacedBy.${by}`), value: by }));
