// One condition in the rule editor: what to check, how to compare, and the value, each with its own error.
import {
  BlockStack,
  Box,
  Button,
  ChoiceList,
  InlineGrid,
  InlineStack,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { operatorsFor, type ConditionField } from "../../routing";
import {
  emptyCondition,
  errorAt,
  YES_NO_FIELDS,
  type ConditionDraft,
} from "../../routing/rule-draft";
import { fieldOptions, operatorLabel, PAYMENT_OPTIONS, RISK_OPTIONS } from "./labels";

export interface LocationOption {
  label: string;
  value: string;
}

interface ConditionRowProps {
  condition: ConditionDraft;
  /** Where its errors are keyed: "conditions.0" or "actions.1.conditions.0". */
  path: string;
  /** Shown as "Condition 2", and in the buttons' accessible names. */
  title: string;
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

function withOperator(condition: ConditionDraft, operator: string): ConditionDraft {
  const wasExists = condition.operator === "exists";
  if (operator === "exists") return { ...condition, operator, value: "true" };
  return { ...condition, operator, value: wasExists ? "" : condition.value };
}

const HELP: Partial<Record<ConditionField, string>> = {
  destination_country: "Two-letter country code, like DE or US",
  destination_province: "Province or state code, like BY or ON",
  order_total: "In the order's currency, like 100 or 49.90",
  fulfilment_service: "The service's handle, like partner-lab",
  sales_channel: "Like Online Store or Point of Sale",
};

export function ConditionRow({
  condition,
  path,
  title,
  errors,
  lineOnly,
  locations,
  onChange,
  onRemove,
}: ConditionRowProps) {
  const field = condition.field;
  const operators = field ? operatorsFor(field) : [];
  const list = condition.operator === "in" || condition.operator === "not_in";
  const valueError = errorAt(errors, `${path}.value`, true);

  const value = (() => {
    if (!field || !condition.operator) {
      return (
        <TextField label="Value" value="" disabled autoComplete="off" onChange={() => undefined} />
      );
    }
    if (condition.operator === "exists") {
      return (
        <Select
          label="Value"
          options={[
            { label: "is set", value: "true" },
            { label: "is not set", value: "false" },
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
          label="Value"
          options={[
            { label: "Yes", value: "true" },
            { label: "No", value: "false" },
          ]}
          value={condition.value}
          error={valueError}
          onChange={(next) => onChange({ ...condition, value: next })}
        />
      );
    }
    const choices =
      field === "risk_level"
        ? RISK_OPTIONS
        : field === "payment_state"
          ? PAYMENT_OPTIONS
          : field === "assigned_location"
            ? locations
            : null;
    if (choices && choices.length > 0 && !list) {
      return (
        <Select
          label="Value"
          placeholder="Choose…"
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
          title="Values"
          allowMultiple
          choices={choices}
          selected={selected}
          error={valueError}
          onChange={(next) => onChange({ ...condition, value: next.join(", ") })}
        />
      );
    }
    const help = [HELP[field], list ? "Separate several with commas" : null]
      .filter(Boolean)
      .join(". ");
    return (
      <TextField
        label="Value"
        value={condition.value}
        autoComplete="off"
        inputMode={field === "order_total" ? "decimal" : undefined}
        helpText={help || undefined}
        error={valueError}
        onChange={(next) => onChange({ ...condition, value: next })}
      />
    );
  })();

  const titleId = `${path}-title`;
  return (
    // A named group, so "Value" or "What to check" is read out as belonging to this condition.
    <div role="group" aria-labelledby={titleId}>
      <Box padding="300" borderWidth="025" borderColor="border" borderRadius="200">
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h4" variant="headingSm" id={titleId}>
              {title}
            </Text>
            <Button
              variant="plain"
              tone="critical"
              onClick={onRemove}
              accessibilityLabel={`Remove ${title.toLowerCase()}`}
            >
              Remove
            </Button>
          </InlineStack>
          <InlineGrid columns={{ xs: 1, md: 3 }} gap="300">
            <Select
              label="What to check"
              options={fieldOptions(lineOnly)}
              value={field}
              error={errorAt(errors, `${path}.field`)}
              onChange={(next) => onChange(withField(condition, next as ConditionField | ""))}
            />
            <Select
              label="Comparison"
              options={
                operators.length === 0
                  ? [{ label: "Choose what to check first", value: "" }]
                  : operators.map((op) => ({ label: operatorLabel(field, op), value: op }))
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
              label="Option name"
              value={condition.optionName}
              autoComplete="off"
              helpText="The variant option to look at, like Paper or Size"
              error={errorAt(errors, `${path}.optionName`)}
              onChange={(next) => onChange({ ...condition, optionName: next })}
            />
          ) : null}
          {field === "order_total" ? (
            <TextField
              label="Currency (optional)"
              value={condition.currencyCode}
              autoComplete="off"
              helpText="Three-letter code, like EUR; leave empty for any currency"
              error={errorAt(errors, `${path}.currencyCode`)}
              onChange={(next) => onChange({ ...condition, currencyCode: next })}
            />
          ) : null}
        </BlockStack>
      </Box>
    </div>
  );
}
