// The rule editor's form: name, how conditions combine, the conditions and the actions, with errors beside each field.
import {
  BlockStack,
  Button,
  Card,
  Checkbox,
  InlineGrid,
  InlineStack,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { ActionCard } from "./ActionCard";
import { ConditionRow, type LocationOption } from "./ConditionRow";
import {
  emptyAction,
  emptyCondition,
  errorAt,
  isLineField,
  type ActionDraft,
  type ConditionDraft,
  type RuleDraft,
} from "../../routing/rule-draft";
import { useInputBeforeHydration } from "../useInputBeforeHydration";
import { draftFieldNames, withEarlyInput } from "./early-input";

interface RuleFormProps {
  draft: RuleDraft;
  errors: Record<string, string>;
  locations: LocationOption[];
  onChange: (next: RuleDraft, changedPath: string) => void;
}

export function RuleForm({ draft, errors, locations, onChange }: RuleFormProps) {
  const { t } = useTranslation();
  const set = (patch: Partial<RuleDraft>, path: string) => onChange({ ...draft, ...patch }, path);
  const setCondition = (i: number, next: ConditionDraft) =>
    set({ conditions: draft.conditions.map((c, j) => (j === i ? next : c)) }, `conditions.${i}`);
  const setAction = (i: number, next: ActionDraft) =>
    set({ actions: draft.actions.map((a, j) => (j === i ? next : a)) }, `actions.${i}`);
  const hasLineConditions = draft.conditions.some((c) => isLineField(c.field));
  // A field changed before React started (the page showed it): taken into the draft once the form
  // has hydrated, so the save bar opens and a save includes it.
  useInputBeforeHydration(draftFieldNames(draft), (changed) =>
    onChange(withEarlyInput(draft, changed), Object.keys(changed)[0]!),
  );

  return (
    <BlockStack gap="400">
      <Card>
        <BlockStack gap="300">
          <TextField
            label={t("rules.form.name")}
            name="name"
            value={draft.name}
            autoComplete="off"
            placeholder={t("rules.form.namePlaceholder")}
            error={errorAt(errors, "name")}
            onChange={(name) => set({ name }, "name")}
          />
          <Checkbox
            label={t("rules.form.enabled")}
            name="enabled"
            helpText={t("rules.form.enabledHelp")}
            checked={draft.enabled}
            onChange={(enabled) => set({ enabled }, "enabled")}
          />
        </BlockStack>
      </Card>

      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("rules.form.when")}
          </Text>
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
            <Select
              label={t("rules.form.match")}
              name="match"
              options={[
                { label: t("rules.form.matchAll"), value: "all" },
                { label: t("rules.form.matchAny"), value: "any" },
              ]}
              value={draft.match}
              error={errorAt(errors, "match")}
              onChange={(match) => set({ match: match === "any" ? "any" : "all" }, "match")}
            />
            {hasLineConditions ? (
              <Select
                label={t("rules.form.lines")}
                name="lines"
                options={[
                  { label: t("rules.form.linesAny"), value: "any" },
                  { label: t("rules.form.linesEvery"), value: "every" },
                ]}
                value={draft.lines}
                error={errorAt(errors, "lines")}
                onChange={(lines) => set({ lines: lines === "every" ? "every" : "any" }, "lines")}
              />
            ) : null}
          </InlineGrid>
          {errorAt(errors, "conditions") ? (
            <Text as="p" tone="critical">
              {errorAt(errors, "conditions")}
            </Text>
          ) : null}
          {draft.conditions.length === 0 ? (
            <Text as="p" tone="subdued">
              {t("rules.form.noConditions")}
            </Text>
          ) : null}
          {draft.conditions.map((condition, i) => (
            <ConditionRow
              key={i}
              condition={condition}
              path={`conditions.${i}`}
              title={t("rules.form.conditionTitle", { number: i + 1 })}
              name={t("rules.form.conditionName", { number: i + 1 })}
              errors={errors}
              lineOnly={false}
              locations={locations}
              onChange={(next) => setCondition(i, next)}
              onRemove={() =>
                set({ conditions: draft.conditions.filter((_, j) => j !== i) }, "conditions")
              }
            />
          ))}
          <InlineStack>
            <Button
              onClick={() =>
                set({ conditions: [...draft.conditions, emptyCondition()] }, "conditions")
              }
            >
              {t("rules.form.addCondition")}
            </Button>
          </InlineStack>
        </BlockStack>
      </Card>

      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            {t("rules.form.then")}
          </Text>
          {errorAt(errors, "actions") ? (
            <Text as="p" tone="critical">
              {errorAt(errors, "actions")}
            </Text>
          ) : null}
          {draft.actions.map((action, i) => (
            <ActionCard
              key={i}
              action={action}
              path={`actions.${i}`}
              number={i + 1}
              errors={errors}
              locations={locations}
              onChange={(next) => setAction(i, next)}
              onRemove={() => set({ actions: draft.actions.filter((_, j) => j !== i) }, "actions")}
            />
          ))}
          <InlineStack>
            <Button onClick={() => set({ actions: [...draft.actions, emptyAction()] }, "actions")}>
              {t("rules.form.addAction")}
            </Button>
          </InlineStack>
          <Checkbox
            label={t("rules.form.keepChecking")}
            name="keepChecking"
            helpText={t("rules.form.keepCheckingHelp")}
            checked={draft.keepChecking}
            onChange={(keepChecking) => set({ keepChecking }, "keepChecking")}
          />
        </BlockStack>
      </Card>
    </BlockStack>
  );
}
