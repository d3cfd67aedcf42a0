// The Settings form: what happens where no rule decides, one card per question, errors beside each field.
import { BlockStack, Card, Checkbox, ChoiceList, Text, TextField } from "@shopify/polaris";
import type { SettingsForm as SettingsValues } from "../../services/settings.server";

interface SettingsFormProps {
  values: SettingsValues;
  errors: Record<string, string>;
  onChange: (next: SettingsValues, field: keyof SettingsValues) => void;
}

const first = (selected: string[]) => selected[0] ?? "";

export function SettingsForm({ values, errors, onChange }: SettingsFormProps) {
  const set = <K extends keyof SettingsValues>(field: K, value: SettingsValues[K]) =>
    onChange({ ...values, [field]: value }, field);
  return (
    <BlockStack gap="400">
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            When no rule decides
          </Text>
          <ChoiceList
            title="Default mode"
            choices={[
              {
                label: "Leave it for me to fulfil (manual)",
                value: "manual",
                helpText: "Fulfillment orders wait in Shopify until you fulfil them",
              },
              {
                label: "Fulfil automatically",
                value: "automatic",
                helpText:
                  "Like Shopify's automatic fulfilment: everything ships as soon as it is paid",
              },
            ]}
            selected={[values.defaultMode]}
            error={errors.defaultMode}
            onChange={(selected) => set("defaultMode", first(selected))}
          />
          <ChoiceList
            title="Digital downloads and gift cards"
            choices={[
              { label: "Send them automatically", value: "automatic" },
              {
                label: "Hold them for my review",
                value: "review",
                helpText: "They wait in the review queue until you approve them",
              },
            ]}
            selected={[values.digitalDownloads]}
            error={errors.digitalDownloads}
            onChange={(selected) => set("digitalDownloads", first(selected))}
          />
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Payment
          </Text>
          <ChoiceList
            title="Capture authorized payments"
            choices={[
              { label: "As soon as the order is paid", value: "on_paid" },
              { label: "When I approve it, or the lab accepts it", value: "on_approval" },
              { label: "When everything is fulfilled", value: "on_fulfilment" },
              { label: "Never: I capture in Shopify myself", value: "never" },
            ]}
            selected={[values.capturePolicy]}
            error={errors.capturePolicy}
            onChange={(selected) => set("capturePolicy", first(selected))}
          />
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Customers and reviews
          </Text>
          <Checkbox
            label="Notify customers when their order ships"
            helpText="Used wherever a rule does not say otherwise"
            checked={values.notifyCustomer}
            error={errors.notifyCustomer}
            onChange={(checked) => set("notifyCustomer", checked)}
          />
          <TextField
            label="Release reviews by themselves after (minutes)"
            value={values.autoReleaseAfterMinutes}
            inputMode="numeric"
            autoComplete="off"
            helpText="Counted from when the order was placed. Leave empty to wait for you, however long it takes."
            error={errors.autoReleaseAfterMinutes}
            onChange={(text) => set("autoReleaseAfterMinutes", text)}
          />
        </BlockStack>
      </Card>
    </BlockStack>
  );
}
