// The Settings form: what happens where no rule decides, one card per question, errors beside each field.
import type { ReactNode } from "react";
import { BlockStack, Card, Checkbox, ChoiceList, Text, TextField } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { CAPTURE_POLICIES } from "../../routing/vocabulary";
import type { SettingsForm as SettingsValues } from "../../services/settings.server";

interface SettingsFormProps {
  values: SettingsValues;
  errors: Record<string, string>;
  onChange: (next: SettingsValues, field: keyof SettingsValues) => void;
}

const first = (selected: string[]) => selected[0] ?? "";

/** One question of the form: a card with its heading. */
function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        {children}
      </BlockStack>
    </Card>
  );
}

export function SettingsForm({ values, errors, onChange }: SettingsFormProps) {
  const { t } = useTranslation();
  const set = <K extends keyof SettingsValues>(field: K, value: SettingsValues[K]) =>
    onChange({ ...values, [field]: value }, field);
  return (
    <BlockStack gap="400">
      <Section title={t("settings.noRule.title")}>
        <ChoiceList
          title={t("settings.noRule.defaultMode")}
          choices={[
            {
              label: t("settings.noRule.manual"),
              value: "manual",
              helpText: t("settings.noRule.manualHelp"),
            },
            {
              label: t("settings.noRule.automatic"),
              value: "automatic",
              helpText: t("settings.noRule.automaticHelp"),
            },
          ]}
          selected={[values.defaultMode]}
          error={errors.defaultMode}
          onChange={(selected) => set("defaultMode", first(selected))}
        />
        <ChoiceList
          title={t("settings.noRule.digital")}
          choices={[
            { label: t("settings.noRule.digitalAutomatic"), value: "automatic" },
            {
              label: t("settings.noRule.digitalReview"),
              value: "review",
              helpText: t("settings.noRule.digitalReviewHelp"),
            },
          ]}
          selected={[values.digitalDownloads]}
          error={errors.digitalDownloads}
          onChange={(selected) => set("digitalDownloads", first(selected))}
        />
      </Section>
      <Section title={t("settings.payment.title")}>
        <ChoiceList
          title={t("settings.payment.capture")}
          choices={CAPTURE_POLICIES.map((value) => ({
            label: t(`settings.payment.${value}`),
            value,
          }))}
          selected={[values.capturePolicy]}
          error={errors.capturePolicy}
          onChange={(selected) => set("capturePolicy", first(selected))}
        />
        <TextField
          label={t("deadlines.settings.warnHours")}
          value={values.authorizationWarnHours}
          inputMode="numeric"
          autoComplete="off"
          suffix={t("deadlines.settings.hours")}
          helpText={t("deadlines.settings.warnHoursHelp")}
          error={errors.authorizationWarnHours}
          onChange={(text) => set("authorizationWarnHours", text)}
        />
      </Section>
      <Section title={t("settings.customers.title")}>
        <Checkbox
          label={t("settings.customers.notify")}
          helpText={t("settings.customers.notifyHelp")}
          checked={values.notifyCustomer}
          error={errors.notifyCustomer}
          onChange={(checked) => set("notifyCustomer", checked)}
        />
        <TextField
          label={t("settings.customers.autoRelease")}
          value={values.autoReleaseAfterMinutes}
          inputMode="numeric"
          autoComplete="off"
          helpText={t("settings.customers.autoReleaseHelp")}
          error={errors.autoReleaseAfterMinutes}
          onChange={(text) => set("autoReleaseAfterMinutes", text)}
        />
      </Section>
      <Section title={t("settings.services.title")}>
        <Checkbox
          label={t("settings.services.releaseGate")}
          helpText={t("settings.services.releaseGateHelp")}
          checked={values.releaseGate}
          onChange={(checked) => set("releaseGate", checked)}
        />
      </Section>
      <Section title={t("hardening.retention.title")}>
        <TextField
          label={t("hardening.retention.days")}
          value={values.retentionDays}
          inputMode="numeric"
          autoComplete="off"
          helpText={t("hardening.retention.help")}
          error={errors.retentionDays}
          onChange={(text) => set("retentionDays", text)}
        />
      </Section>
      <Section title={t("afterSales.remake.settingsTitle")}>
        <TextField
          label={t("afterSales.remake.reasons")}
          value={values.remakeReasons}
          multiline={4}
          autoComplete="off"
          helpText={t("afterSales.remake.reasonsHelp")}
          error={errors.remakeReasons}
          onChange={(text) => set("remakeReasons", text)}
        />
      </Section>
    </BlockStack>
  );
}
