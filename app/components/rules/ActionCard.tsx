// One action in the rule editor: its kind, and the few fields that kind needs, each with its own error.
import {
  BlockStack,
  Box,
  Button,
  Checkbox,
  InlineStack,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import type { ActionType } from "../../routing";
import { ConditionRow, type LocationOption } from "./ConditionRow";
import { emptyAction, emptyCondition, errorAt, type ActionDraft } from "../../routing/rule-draft";
import {
  ACTION_OPTIONS,
  ARCHIVE_OPTIONS,
  CAPTURE_OPTIONS,
  HOLD_REASON_OPTIONS,
  RELEASE_OPTIONS,
  SPLIT_OPTIONS,
} from "./labels";

interface ActionCardProps {
  action: ActionDraft;
  /** "actions.0" */
  path: string;
  title: string;
  errors: Record<string, string>;
  locations: LocationOption[];
  onChange: (next: ActionDraft) => void;
  onRemove: () => void;
}

export function ActionCard({
  action,
  path,
  title,
  errors,
  locations,
  onChange,
  onRemove,
}: ActionCardProps) {
  const at = (field: string, nested = false) => errorAt(errors, `${path}.${field}`, nested);
  const set = (patch: Partial<ActionDraft>) => onChange({ ...action, ...patch });
  const titleId = `${path}-title`;

  const fields = (() => {
    switch (action.type) {
      case "":
      case "merge":
        return null;
      case "fulfil_automatically":
        return (
          <Checkbox
            label="Notify the customer"
            helpText="Sends Shopify's shipping confirmation"
            checked={action.notifyCustomer}
            onChange={(checked) => set({ notifyCustomer: checked })}
          />
        );
      case "hold_for_review":
        return (
          <TextField
            label="Note for the reviewer (optional)"
            value={action.note}
            autoComplete="off"
            placeholder="Check the crop"
            error={at("note")}
            onChange={(note) => set({ note })}
          />
        );
      case "hold":
        return (
          <BlockStack gap="300">
            <Select
              label="Hold reason"
              placeholder="Choose…"
              helpText="One of Shopify's hold reasons: staff see it on the order"
              options={HOLD_REASON_OPTIONS}
              value={action.reason}
              error={at("reason")}
              onChange={(reason) => set({ reason })}
            />
            <TextField
              label="Note (optional)"
              value={action.note}
              autoComplete="off"
              error={at("note")}
              onChange={(note) => set({ note })}
            />
            <TextField
              label="Release after (minutes, optional)"
              value={action.releaseAfterMinutes}
              autoComplete="off"
              inputMode="numeric"
              helpText="Counted from when the order was placed. Leave empty to hold until someone releases it."
              error={at("releaseAfterMinutes")}
              onChange={(releaseAfterMinutes) => set({ releaseAfterMinutes })}
            />
          </BlockStack>
        );
      case "release_holds":
        return (
          <Select
            label="Which holds"
            options={RELEASE_OPTIONS}
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
              label="How to split"
              options={SPLIT_OPTIONS}
              value={action.by}
              error={at("by")}
              onChange={(by) => set({ by })}
            />
            {action.by === "line_condition" ? (
              <BlockStack gap="300">
                <Select
                  label="Lines to split off must match"
                  options={[
                    { label: "All of these conditions", value: "all" },
                    { label: "Any of these conditions", value: "any" },
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
                    Without conditions here, the rule&apos;s own line conditions choose the lines.
                  </Text>
                ) : null}
                {action.conditions.map((condition, j) => (
                  <ConditionRow
                    key={j}
                    condition={condition}
                    path={`${path}.conditions.${j}`}
                    title={`Line condition ${j + 1} of ${title.toLowerCase()}`}
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
                    Add line condition
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
            label="Location"
            placeholder="Choose…"
            options={options}
            value={action.locationId}
            error={at("locationId")}
            onChange={(locationId) => set({ locationId })}
          />
        ) : (
          <TextField
            label="Location ID"
            value={action.locationId}
            autoComplete="off"
            helpText="Shopify's locations could not be listed; enter the location's ID"
            error={at("locationId")}
            onChange={(locationId) => set({ locationId })}
          />
        );
      }
      case "submit_fulfilment_request":
        return (
          <BlockStack gap="300">
            <TextField
              label="Message to the service (optional)"
              value={action.message}
              autoComplete="off"
              error={at("message")}
              onChange={(message) => set({ message })}
            />
            <Checkbox
              label="Notify the customer"
              checked={action.notifyCustomer}
              onChange={(checked) => set({ notifyCustomer: checked })}
            />
          </BlockStack>
        );
      case "capture_payment":
        return (
          <Select
            label="When"
            options={CAPTURE_OPTIONS}
            value={action.when}
            error={at("when")}
            onChange={(when) => set({ when })}
          />
        );
      case "add_order_tags":
        return (
          <TextField
            label="Tags"
            value={action.tags}
            autoComplete="off"
            helpText="Separate tags with commas"
            error={at("tags", true)}
            onChange={(tags) => set({ tags })}
          />
        );
      case "add_staff_note":
        return (
          <TextField
            label="Staff note"
            value={action.note}
            autoComplete="off"
            multiline={2}
            helpText="Added to the order's notes, where staff see it"
            error={at("note")}
            onChange={(note) => set({ note })}
          />
        );
      case "archive_order":
        return (
          <Select
            label="When"
            options={ARCHIVE_OPTIONS}
            value={action.when}
            error={at("when")}
            onChange={(when) => set({ when })}
          />
        );
    }
  })();

  return (
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
          <Select
            label="Action"
            options={ACTION_OPTIONS}
            value={action.type}
            error={at("type")}
            onChange={(type) => onChange(emptyAction(type as ActionType | ""))}
          />
          {fields}
        </BlockStack>
      </Box>
    </div>
  );
}
