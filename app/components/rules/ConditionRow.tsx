// One condition in the rule editor: what to check, how to compare, and the value, each with its own error.
import { ChoiceList, InlineGrid, Select, TextField } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { operatorsFor, type ConditionField } from "../../routing";
import {
  emptyCondition,
  errorAt,
  YES_NO_FIELDS,
  type ConditionDraft,
} from "../../routing/rule-draft";
import {
  extraChargeOptions,
  fieldOptions,
  operatorLabel,
  paymentOptions,
  riskOptions,
} from "./labels";
import { RemovableCard } from "./RemovableCard";
import { currencyAffixes } from "../../i18n/money";

export interface LocationOption {
  label: string;
  value: string;
}

interface ConditionRowProps {
  condition: ConditionDraft;
  /** Where its errors are keyed: "conditions.0" or "actions.1.conditions.0". */
  path: string;
  /** Shown as "Condition 2". */
  title: string;
  /** The condition in a sentence, for the Remove button's accessible name: "condition 2". */
  name: string;
  errors: Record<string, string>;
  lineOnly: boolean;
  locations: LocationOption[];
  onChange: (next: ConditionDraft) => void;
  onRemove: () => void;
}

/** A changed field starts from its first operator, and yes/no questions from "yes". */
export function withField(condition: ConditionDraft, field: ConditionField | ""): ConditionDraft {
  if (!field) return emptyCondition();
  const operator = operatorsFor(field)[0] ?? "";
  const yesNo = YES_NO_FIELDS.includes(field) || operator === "exists";
  return {
    ...emptyCondition(field),
    operator,
    value: yesNo ? "true" : "",
    optionName: field === "variant_option" ? condition.optionName : "",
  };
}

export function withOperator(condition: ConditionDraft, operator: string): ConditionDraft {
  const wasExists = condition.operator === "exists";
  if (operator === "exists") return { ...condition, operator, value: "true" };
  return { ...condition, operator, value: wasExists ? "" : condition.value };
}

/** Fields whose value box says what to type. */
const HELPED = [
  "destination_country",
  "destination_province",
  "order_total",
  "fulfilment_service",
  "sales_channel",
] as const;
const isHelped = (field: string): field is (typeof HELPED)[number] =>
  (HELPED as readonly string[]).includes(field);

export function ConditionRow({
  condition,
  path,
  title,
  name,
  errors,
  lineOnly,
  locations,
  onChange,
  onRemove,
}: ConditionRowProps) {
  const { t, i18n } = useTranslation();
  const field = condition.field;
  const operators = field ? operatorsFor(field) : [];
  const list = condition.operator === "in" || condition.operator === "not_in";
  const valueError = errorAt(errors, `${path}.value`, true);

  const value = (() => {
    if (!field || !condition.operator) {
      return (
        <TextField
          label={t("rules.condition.value")}
          value=""
          disabled
          autoComplete="off"
          onChange={() => undefined}
        />
      );
    }
    if (condition.operator === "exists") {
      return (
        <Select
          label={t("rules.condition.value")}
          name={`${path}.value`}
          options={[
            { label: t("rules.condition.isSet"), value: "true" },
            { label: t("rules.condition.isNotSet"), value: "false" },
          ]}
          value={condition.value}
          error={valueError}
          onChange={(next) => onChange({ ...condition, value: next })}
        />
      );
    }
    if (YES_NO_FIELDS.includes(field)) {
      return (
        <Select
          label={t("rules.condition.value")}
          name={`${path}.value`}
          options={[
            { label: t("common.yes"), value: "true" },
            { label: t("common.no"), value: "false" },
          ]}
          value={condition.value}
          error={valueError}
          onChange={(next) => onChange({ ...condition, value: next })}
        />
      );
    }
    const choices =
      field === "risk_level"
        ? riskOptions(t)
        : field === "payment_state"
          ? paymentOptions(t)
          : field === "assigned_location"
            ? locations
            : field === "extra_charge"
              ? extraChargeOptions(t)
              : null;
    if (choices && choices.length > 0 && !list) {
      return (
        <Select
          label={t("rules.condition.value")}
          name={`${path}.value`}
          placeholder={t("common.choose")}
          options={choices}
          value={condition.value}
          error={valueError}
          onChange={(next) => onChange({ ...condition, value: next })}
        />
      );
    }
    if (choices && choices.length > 0 && list) {
      const selected = condition.value
        .split(",")
        .map((v) => v.trim())
        .filter(Boolean);
      return (
        <ChoiceList
          title={t("rules.condition.values")}
          // Its boxes are named `${path}.value[]` (Polaris adds the brackets).
          name={`${path}.value`}
          allowMultiple
          choices={choices}
          selected={selected}
          error={valueError}
          onChange={(next) => onChange({ ...condition, value: next.join(", ") })}
        />
      );
    }
    const help = [
      isHelped(field) ? t(`rules.condition.help.${field}`) : null,
      list ? t("rules.condition.separateWithCommas") : null,
    ]
      .filter(Boolean)
      .join(". ");
    // A threshold in a chosen currency shows its sign where admin's money fields do ("€" before
    // the amount in English, after it in German); without one it is the order's own currency.
    const code = condition.currencyCode.trim().toUpperCase();
    const sign =
      field === "order_total" && /^[A-Z]{3}$/.test(code)
        ? currencyAffixes(code, i18n.language)
        : {};
    return (
      <TextField
        label={t("rules.condition.value")}
        name={`${path}.value`}
        value={condition.value}
        prefix={sign.prefix}
        suffix={sign.suffix}
        autoComplete="off"
        inputMode={field === "order_total" ? "decimal" : undefined}
        helpText={help || undefined}
        error={valueError}
        onChange={(next) => onChange({ ...condition, value: next })}
      />
    );
  })();

  return (
    <RemovableCard path={path} title={title} name={name} onRemove={onRemove}>
      <InlineGrid columns={{ xs: 1, md: 3 }} gap="300">
        <Select
          label={t("rules.condition.whatToCheck")}
          name={`${path}.field`}
          options={fieldOptions(t, lineOnly)}
          value={field}
          error={errorAt(errors, `${path}.field`)}
          onChange={(next) => onChange(withField(condition, next as ConditionField | ""))}
        />
        <Select
          label={t("rules.condition.comparison")}
          name={`${path}.operator`}
          options={
            operators.length === 0
              ? [{ label: t("rules.condition.chooseFieldFirst"), value: "" }]
              : operators.map((op) => ({ label: operatorLabel(t, field, op), value: op }))
          }
          value={condition.operator}
          disabled={operators.length === 0}
          error={errorAt(errors, `${path}.operator`)}
          onChange={(next) => onChange(withOperator(condition, next))}
        />
        {value}
      </InlineGrid>
      {field === "variant_option" ? (
        <TextField
          label={t("rules.condition.optionName")}
          name={`${path}.optionName`}
          value={condition.optionName}
          autoComplete="off"
          helpText={t("rules.condition.optionNameHelp")}
          error={errorAt(errors, `${path}.optionName`)}
          onChange={(next) => onChange({ ...condition, optionName: next })}
        />
      ) : null}
      {field === "order_total" ? (
        <TextField
          label={t("rules.condition.currency")}
          name={`${path}.currencyCode`}
          value={condition.currencyCode}
          autoComplete="off"
          helpText={t("rules.condition.currencyHelp")}
          error={errorAt(errors, `${path}.currencyCode`)}
          onChange={(next) => onChange({ ...condition, currencyCode: next })}
        />
      ) : null}
    </RemovableCard>
  );
}
