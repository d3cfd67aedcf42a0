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
import { useDeferredValue } from "react";
import { useTranslation } from "react-i18next";
import type { ProfileDraft } from "../../services/capabilities.server";
import { useInputBeforeHydration } from "../useInputBeforeHydration";

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

/** The error path of one option row's field, as the service reports it. */
const optionPath = (row: number, field: "name" | "values") => ["options", row, field].join(".");

export function CapabilityProfileCard({ entry, errors, onChange }: CardProps) {
  const { draft } = entry;
  const { t } = useTranslation();
  // Ticking "produces" answers at once and the profile's fields follow a moment later: drawing
  // them inside the tap made it the screen's slowest interaction (110 ms with the CPU slowed 4x).
  const showFields = useDeferredValue(entry.produces);
  const titleId = `location-${entry.locationId}`;
  const producesName = `produces-${entry.locationId}`;
  // Each field is named after its location and its place in the profile, unique on the screen.
  const fieldName = (field: string) => `${entry.locationId}.${field}`;
  // "Produces" ticked or a field of the profile changed before React started (the page showed
  // it): the form takes them once the card has hydrated, so the profile's fields and the save bar
  // open as after a tap and a save includes them.
  useInputBeforeHydration(
    [
      producesName,
      ...["name", "kind", "productTypes"].map(fieldName),
      ...draft.options.flatMap((_, j) => [
        fieldName(`options.${j}.name`),
        fieldName(`options.${j}.values`),
      ]),
    ],
    (changed) => {
      const text = (field: string) => {
        const value = changed[fieldName(field)];
        return typeof value === "string" ? value : undefined;
      };
      const produces = changed[producesName];
      const kind = text("kind");
      onChange(
        {
          ...entry,
          produces: typeof produces === "boolean" ? produces : entry.produces,
          draft: {
            ...draft,
            name: text("name") ?? draft.name,
            kind: kind === undefined ? draft.kind : kind === "partner" ? "partner" : "in_house",
            productTypes: text("productTypes") ?? draft.productTypes,
            options: draft.options.map((row, j) => ({
              name: text(`options.${j}.name`) ?? row.name,
              values: text(`options.${j}.values`) ?? row.values,
            })),
          },
        },
        "",
      );
    },
  );
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
              <Badge tone="info">
                {t("capabilities.card.service", { service: entry.fulfilmentService })}
              </Badge>
            ) : (
              <Badge>{t("capabilities.card.yourLocation")}</Badge>
            )}
            {!entry.active && entry.listed ? (
              <Badge tone="warning">{t("capabilities.card.inactive")}</Badge>
            ) : null}
            {!entry.listed ? (
              <Badge tone="critical">{t("capabilities.card.notListed")}</Badge>
            ) : null}
          </InlineStack>
          {!entry.listed ? (
            <Text as="p" tone="subdued">
              {t("capabilities.card.notListedHelp")}
            </Text>
          ) : null}
          {errors.locationId || errors[""] ? (
            <Text as="p" tone="critical">
              {errors.locationId ?? errors[""]}
            </Text>
          ) : null}
          <Checkbox
            label={t("capabilities.card.produces", { location: entry.locationName })}
            helpText={t("capabilities.card.producesHelp")}
            name={producesName}
            checked={entry.produces}
            onChange={(produces) => onChange({ ...entry, produces }, "")}
          />
          {showFields ? (
            <BlockStack gap="300">
              <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
                <TextField
                  label={t("capabilities.card.name")}
                  name={fieldName("name")}
                  value={draft.name}
                  autoComplete="off"
                  helpText={t("capabilities.card.nameHelp")}
                  error={errors.name}
                  onChange={(name) => setDraft({ name }, "name")}
                />
                <Select
                  label={t("capabilities.card.kind")}
                  name={fieldName("kind")}
                  options={[
                    { label: t("capabilities.card.inHouse"), value: "in_house" },
                    { label: t("capabilities.card.partner"), value: "partner" },
                  ]}
                  value={draft.kind}
                  error={errors.kind}
                  onChange={(kind) =>
                    setDraft({ kind: kind === "partner" ? "partner" : "in_house" }, "kind")
                  }
                />
              </InlineGrid>
              <TextField
                label={t("capabilities.card.productTypes")}
                name={fieldName("productTypes")}
                value={draft.productTypes}
                autoComplete="off"
                placeholder={t("capabilities.card.productTypesPlaceholder")}
                helpText={t("capabilities.card.productTypesHelp")}
                error={errors.productTypes}
                onChange={(productTypes) => setDraft({ productTypes }, "productTypes")}
              />
              <BlockStack gap="200">
                <BlockStack gap="050">
                  <Text as="h3" variant="headingSm">
                    {t("capabilities.card.options")}
                  </Text>
                  <Text as="p" tone="subdued">
                    {t("capabilities.card.optionsHelp")}
                  </Text>
                </BlockStack>
                {errors.options ? (
                  <Text as="p" tone="critical">
                    {errors.options}
                  </Text>
                ) : null}
                {draft.options.length === 0 ? (
                  <Text as="p" tone="subdued">
                    {t("capabilities.card.noOptions")}
                  </Text>
                ) : null}
                {draft.options.map((row, j) => (
                  <div
                    key={j}
                    role="group"
                    aria-label={t("capabilities.card.optionGroup", {
                      location: entry.locationName,
                      n: j + 1,
                    })}
                  >
                    <Box paddingBlockEnd="200">
                      <InlineGrid
                        columns={{ xs: 1, md: "1fr 2fr auto" }}
                        gap="300"
                        alignItems="start"
                      >
                        <TextField
                          label={t("capabilities.card.optionName")}
                          name={fieldName(`options.${j}.name`)}
                          value={row.name}
                          autoComplete="off"
                          placeholder={
                            j === 0 ? t("capabilities.card.optionNamePlaceholder") : undefined
                          }
                          error={errors[optionPath(j, "name")]}
                          onChange={(name) => setOption(j, { name }, "name")}
                        />
                        <TextField
                          label={t("capabilities.card.values")}
                          name={fieldName(`options.${j}.values`)}
                          value={row.values}
                          autoComplete="off"
                          placeholder={
                            j === 0 ? t("capabilities.card.valuesPlaceholder") : undefined
                          }
                          error={errors[optionPath(j, "values")]}
                          onChange={(values) => setOption(j, { values }, "values")}
                        />
                        {/* Level with the fields' boxes, below their labels, with or without an error. */}
                        <Box paddingBlockStart="600">
                          <Button
                            tone="critical"
                            variant="plain"
                            accessibilityLabel={t("capabilities.card.removeOption", {
                              option: row.name || j + 1,
                              location: entry.locationName,
                            })}
                            onClick={() =>
                              setDraft(
                                { options: draft.options.filter((_, k) => k !== j) },
                                "options",
                              )
                            }
                          >
                            {t("capabilities.card.remove")}
                          </Button>
                        </Box>
                      </InlineGrid>
                    </Box>
                  </div>
                ))}
                <InlineStack>
                  <Button
                    accessibilityLabel={t("capabilities.card.addOptionTo", {
                      location: entry.locationName,
                    })}
                    onClick={() =>
                      setDraft({ options: [...draft.options, { name: "", values: "" }] }, "options")
                    }
                  >
                    {t("capabilities.card.addOption")}
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
