// One location on the Capabilities screen: whether it produces, in-house or as a partner, and what it can make.
import {
  Badge,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  InlineGrid,
  InlineStack,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import type { ProfileDraft } from "../../services/capabilities.server";

export interface ProfileEntry {
  locationId: string;
  locationName: string;
  /** The fulfilment service that owns the location, if any. */
  fulfilmentService: string | null;
  /** False when Shopify does not list the location (any more). */
  listed: boolean;
  active: boolean;
  produces: boolean;
  draft: ProfileDraft;
}

interface CardProps {
  entry: ProfileEntry;
  errors: Record<string, string>;
  onChange: (next: ProfileEntry, field: string) => void;
}

export function CapabilityProfileCard({ entry, errors, onChange }: CardProps) {
  const { draft } = entry;
  const titleId = `location-${entry.locationId}`;
  const setDraft = (patch: Partial<ProfileDraft>, field: string) =>
    onChange({ ...entry, draft: { ...draft, ...patch } }, field);
  const setOption = (j: number, patch: Partial<ProfileDraft["options"][number]>, field: string) =>
    setDraft(
      { options: draft.options.map((row, k) => (k === j ? { ...row, ...patch } : row)) },
      `options.${j}.${field}`,
    );

  return (
    <Card>
      <section aria-labelledby={titleId}>
        <BlockStack gap="300">
          <InlineStack gap="200" blockAlign="center" wrap>
            <Text as="h2" variant="headingMd" id={titleId}>
              {entry.locationName}
            </Text>
            {entry.fulfilmentService ? (
              <Badge tone="info">{`Fulfilment service: ${entry.fulfilmentService}`}</Badge>
            ) : (
              <Badge>Your location</Badge>
            )}
            {!entry.active && entry.listed ? <Badge tone="warning">Inactive</Badge> : null}
            {!entry.listed ? <Badge tone="critical">Not listed by Shopify</Badge> : null}
          </InlineStack>
          {!entry.listed ? (
            <Text as="p" tone="subdued">
              Shopify&apos;s list of locations does not include this one. Rules skip a profile whose
              location is gone; turn it off to remove the profile.
            </Text>
          ) : null}
          {errors.locationId || errors[""] ? (
            <Text as="p" tone="critical">
              {errors.locationId ?? errors[""]}
            </Text>
          ) : null}
          <Checkbox
            label={`${entry.locationName} produces orders`}
            helpText="Split-by-capability rules send a line here only when this profile covers every option of it"
            checked={entry.produces}
            onChange={(produces) => onChange({ ...entry, produces }, "")}
          />
          {entry.produces ? (
            <BlockStack gap="300">
              <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
                <TextField
                  label="Profile name"
                  value={draft.name}
                  autoComplete="off"
                  helpText="How rules and explanations name this location"
                  error={errors.name}
                  onChange={(name) => setDraft({ name }, "name")}
                />
                <Select
                  label="Who produces here"
                  options={[
                    { label: "In-house (tried first)", value: "in_house" },
                    { label: "Partner (when in-house cannot)", value: "partner" },
                  ]}
                  value={draft.kind}
                  error={errors.kind}
                  onChange={(kind) =>
                    setDraft({ kind: kind === "partner" ? "partner" : "in_house" }, "kind")
                  }
                />
              </InlineGrid>
              <TextField
                label="Product types it makes"
                value={draft.productTypes}
                autoComplete="off"
                placeholder="Print, Canvas"
                helpText="Shopify product types, separated by commas"
                error={errors.productTypes}
                onChange={(productTypes) => setDraft({ productTypes }, "productTypes")}
              />
              <BlockStack gap="200">
                <BlockStack gap="050">
                  <Text as="h3" variant="headingSm">
                    Options it can do
                  </Text>
                  <Text as="p" tone="subdued">
                    Each variant option this location understands, with the values it can do,
                    separated by commas.
                  </Text>
                </BlockStack>
                {errors.options ? (
                  <Text as="p" tone="critical">
                    {errors.options}
                  </Text>
                ) : null}
                {draft.options.length === 0 ? (
                  <Text as="p" tone="subdued">
                    No options listed: only products without variant options can be made here.
                  </Text>
                ) : null}
                {draft.options.map((row, j) => (
                  <div key={j} role="group" aria-label={`${entry.locationName} option ${j + 1}`}>
                    <Box paddingBlockEnd="200">
                      <InlineGrid
                        columns={{ xs: 1, md: "1fr 2fr auto" }}
                        gap="300"
                        alignItems="start"
                      >
                        <TextField
                          label="Option name"
                          value={row.name}
                          autoComplete="off"
                          placeholder={j === 0 ? "Paper" : undefined}
                          error={errors[`options.${j}.name`]}
                          onChange={(name) => setOption(j, { name }, "name")}
                        />
                        <TextField
                          label="Values it can do"
                          value={row.values}
                          autoComplete="off"
                          placeholder={j === 0 ? "Lustre, Matte" : undefined}
                          error={errors[`options.${j}.values`]}
                          onChange={(values) => setOption(j, { values }, "values")}
                        />
                        {/* Level with the fields' boxes, below their labels, with or without an error. */}
                        <Box paddingBlockStart="600">
                          <Button
                            tone="critical"
                            variant="plain"
                            accessibilityLabel={`Remove option ${row.name || j + 1} from ${entry.locationName}`}
                            onClick={() =>
                              setDraft(
                                { options: draft.options.filter((_, k) => k !== j) },
                                "options",
                              )
                            }
                          >
                            Remove
                          </Button>
                        </Box>
                      </InlineGrid>
                    </Box>
                  </div>
                ))}
                <InlineStack>
                  <Button
                    accessibilityLabel={`Add an option to ${entry.locationName}`}
                    onClick={() =>
                      setDraft({ options: [...draft.options, { name: "", values: "" }] }, "options")
                    }
                  >
                    Add option
                  </Button>
                </InlineStack>
              </BlockStack>
            </BlockStack>
          ) : null}
        </BlockStack>
      </section>
    </Card>
  );
}
