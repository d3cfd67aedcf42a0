// One action in the rule editor: its kind, and the few fields that kind needs, each with its own error.
import {
  BlockStack,
  Button,
  Checkbox,
  InlineStack,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import type { ActionType } from "../../routing";
import { ConditionRow, type LocationOption } from "./ConditionRow";
import { emptyAction, emptyCondition, errorAt, type ActionDraft } from "../../routing/rule-draft";
import {
  actionOptions,
  archiveOptions,
  captureOptions,
  holdReasonOptions,
  releaseOptions,
  splitOptions,
} from "./labels";
import { RemovableCard } from "./RemovableCard";

interface ActionCardProps {
  action: ActionDraft;
  /** "actions.0" */
  path: string;
  /** Its number in the rule: "Action 2". */
  number: number;
  errors: Record<string, string>;
  locations: LocationOption[];
  onChange: (next: ActionDraft) => void;
  onRemove: () => void;
}

export function ActionCard({
  action,
  path,
  number,
  errors,
  locations,
  onChange,
  onRemove,
}: ActionCardProps) {
  const { t } = useTranslation();
  const at = (field: string, nested = false) => errorAt(errors, `${path}.${field}`, nested);
  const set = (patch: Partial<ActionDraft>) => onChange({ ...action, ...patch });

  const fields = (() => {
    switch (action.type) {
      case "":
      case "merge":
        return null;
      case "fulfil_automatically":
        return (
          <Checkbox
            label={t("rules.action.notifyCustomer")}
            name={`${path}.notifyCustomer`}
            helpText={t("rules.action.notifyCustomerHelp")}
            checked={action.notifyCustomer}
            onChange={(checked) => set({ notifyCustomer: checked })}
          />
        );
      case "hold_for_review":
        return (
          <TextField
            label={t("rules.action.reviewerNote")}
            name={`${path}.note`}
            value={action.note}
            autoComplete="off"
            placeholder={t("rules.action.reviewerNotePlaceholder")}
            error={at("note")}
            onChange={(note) => set({ note })}
          />
        );
      case "hold":
        return (
          <BlockStack gap="300">
            <Select
              label={t("rules.action.holdReason")}
              name={`${path}.reason`}
              placeholder={t("common.choose")}
              helpText={t("rules.action.holdReasonHelp")}
              options={holdReasonOptions(t)}
              value={action.reason}
              error={at("reason")}
              onChange={(reason) => set({ reason })}
            />
            <TextField
              label={t("rules.action.note")}
              name={`${path}.note`}
              value={action.note}
              autoComplete="off"
              error={at("note")}
              onChange={(note) => set({ note })}
            />
            <TextField
              label={t("rules.action.releaseAfter")}
              name={`${path}.releaseAfterMinutes`}
              value={action.releaseAfterMinutes}
              autoComplete="off"
              inputMode="numeric"
              helpText={t("rules.action.releaseAfterHelp")}
              error={at("releaseAfterMinutes")}
              onChange={(releaseAfterMinutes) => set({ releaseAfterMinutes })}
            />
          </BlockStack>
        );
      case "release_holds":
        return (
          <Select
            label={t("rules.action.whichHolds")}
            name={`${path}.placedBy`}
            options={releaseOptions(t)}
            value={action.placedBy}
            error={at("placedBy")}
            onChange={(placedBy) =>
              set({ placedBy: placedBy === "anyone" ? "anyone" : "this_app" })
            }
          />
        );
      case "split":
        return (
          <BlockStack gap="300">
            <Select
              label={t("rules.action.howToSplit")}
              name={`${path}.by`}
              options={splitOptions(t)}
              value={action.by}
              error={at("by")}
              onChange={(by) => set({ by })}
            />
            {action.by === "line_condition" ? (
              <BlockStack gap="300">
                <Select
                  label={t("rules.action.linesMustMatch")}
                  name={`${path}.match`}
                  options={[
                    { label: t("rules.action.allOfThese"), value: "all" },
                    { label: t("rules.action.anyOfThese"), value: "any" },
                  ]}
                  value={action.match}
                  onChange={(match) => set({ match: match === "any" ? "any" : "all" })}
                />
                {at("conditions") ? (
                  <Text as="p" tone="critical">
                    {at("conditions")}
                  </Text>
                ) : null}
                {action.conditions.length === 0 ? (
                  <Text as="p" tone="subdued">
                    {t("rules.action.noLineConditions")}
                  </Text>
                ) : null}
                {action.conditions.map((condition, j) => (
                  <ConditionRow
                    key={j}
                    condition={condition}
                    path={`${path}.conditions.${j}`}
                    title={t("rules.condition.lineConditionTitle", {
                      number: j + 1,
                      action: number,
                    })}
                    name={t("rules.condition.lineConditionName", { number: j + 1, action: number })}
                    errors={errors}
                    lineOnly
                    locations={locations}
                    onChange={(next) =>
                      set({ conditions: action.conditions.map((c, k) => (k === j ? next : c)) })
                    }
                    onRemove={() =>
                      set({ conditions: action.conditions.filter((_, k) => k !== j) })
                    }
                  />
                ))}
                <InlineStack>
                  <Button
                    onClick={() => set({ conditions: [...action.conditions, emptyCondition()] })}
                  >
                    {t("rules.action.addLineCondition")}
                  </Button>
                </InlineStack>
              </BlockStack>
            ) : null}
          </BlockStack>
        );
      case "move": {
        const known = locations.some((l) => l.value === action.locationId);
        const options =
          known || !action.locationId
            ? locations
            : [...locations, { label: action.locationId, value: action.locationId }];
        return options.length > 0 ? (
          <Select
            label={t("rules.action.location")}
            name={`${path}.locationId`}
            placeholder={t("common.choose")}
            options={options}
            value={action.locationId}
            error={at("locationId")}
            onChange={(locationId) => set({ locationId })}
          />
        ) : (
          <TextField
            label={t("rules.action.locationId")}
            name={`${path}.locationId`}
            value={action.locationId}
            autoComplete="off"
            helpText={t("rules.action.locationIdHelp")}
            error={at("locationId")}
            onChange={(locationId) => set({ locationId })}
          />
        );
      }
      case "submit_fulfilment_request":
        return (
          <BlockStack gap="300">
            <TextField
              label={t("rules.action.messageToService")}
              name={`${path}.message`}
              value={action.message}
              autoComplete="off"
              error={at("message")}
              onChange={(message) => set({ message })}
            />
            <Checkbox
              label={t("rules.action.notifyCustomer")}
              name={`${path}.notifyCustomer`}
              checked={action.notifyCustomer}
              onChange={(checked) => set({ notifyCustomer: checked })}
            />
          </BlockStack>
        );
      case "capture_payment":
        return (
          <Select
            label={t("rules.action.when")}
            name={`${path}.when`}
            options={captureOptions(t)}
            value={action.when}
            error={at("when")}
            onChange={(when) => set({ when })}
          />
        );
      case "add_order_tags":
        return (
          <TextField
            label={t("rules.action.tags")}
            name={`${path}.tags`}
            value={action.tags}
            autoComplete="off"
            helpText={t("rules.action.tagsHelp")}
            error={at("tags", true)}
            onChange={(tags) => set({ tags })}
          />
        );
      case "add_staff_note":
        return (
          <TextField
            label={t("rules.action.staffNote")}
            name={`${path}.note`}
            value={action.note}
            autoComplete="off"
            multiline={2}
            helpText={t("rules.action.staffNoteHelp")}
            error={at("note")}
            onChange={(note) => set({ note })}
          />
        );
      case "archive_order":
        return (
          <Select
            label={t("rules.action.when")}
            name={`${path}.when`}
            options={archiveOptions(t)}
            value={action.when}
            error={at("when")}
            onChange={(when) => set({ when })}
          />
        );
    }
  })();

  return (
    <RemovableCard
      path={path}
      title={t("rules.form.actionTitle", { number })}
      name={t("rules.form.actionName", { number })}
      onRemove={onRemove}
    >
      <Select
        label={t("rules.action.type")}
        name={`${path}.type`}
        options={actionOptions(t)}
        value={action.type}
        error={at("type")}
        onChange={(type) => onChange(emptyAction(type as ActionType | ""))}
      />
      {fields}
    </RemovableCard>
  );
}
