// The Settings form: what happens where no rule decides, one card per question, errors beside each field.
import { Suspense, memo, type ComponentType, type ReactNode } from "react";
import { BlockStack, Card, Checkbox, ChoiceList, Text, TextField } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { CAPTURE_POLICIES } from "../../routing/vocabulary";
import type { SettingsForm as SettingsValues } from "../../services/settings.server";
import { useInputBeforeHydration } from "../useInputBeforeHydration";

/** Sets one field; the screen keeps it stable so a card whose fields did not change is not redrawn. */
export type SetSettingsField = <K extends keyof SettingsValues>(
  field: K,
  value: SettingsValues[K],
) => void;

interface SettingsFormProps {
  values: SettingsValues;
  errors: Record<string, string>;
  onChange: SetSettingsField;
}

const first = (selected: string[]) => selected[0] ?? "";

/**
 * A card's boxes, choices and fields (named after their field) the merchant changed before React
 * started, set in the form once the card has hydrated, so the save bar opens and a save includes
 * them (the page showed them changed all along).
 */
function useEarlyInput(set: SetSettingsField, fields: readonly (keyof SettingsValues)[]) {
  useInputBeforeHydration(fields, (changed) => {
    for (const [name, value] of Object.entries(changed)) set(name as keyof SettingsValues, value);
  });
}

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

// Each card is memoised and given only its own fields and errors, so ticking a box redraws its
// card alone: redrawing the whole form made "notify customers" the screen's slowest tap.
//
// Each card also hydrates on its own, in a Suspense boundary of its own (nothing in it suspends,
// the server renders it whole: no fallback, no layout shift), so a tap on a card while the page
// still hydrates makes React hydrate the page around the cards and that card there and then, the
// others after. The boundary sits inside the memo: the tap's change redraws the form, and a card
// whose props did not change stops at its memo; a boundary reached with new children while still
// dehydrated would be hydrated inside the tap as well (React hydrates it before it can update it).
function ownHydration<P extends object>(Inner: ComponentType<P>) {
  return memo(function OwnHydration(props: P) {
    return (
      <Suspense>
        <Inner {...props} />
      </Suspense>
    );
  });
}

const NoRuleSection = ownHydration(function NoRuleSection(props: {
  defaultMode: string;
  digitalDownloads: string;
  defaultModeError?: string;
  digitalDownloadsError?: string;
  set: SetSettingsField;
}) {
  const { t } = useTranslation();
  const { set } = props;
  useEarlyInput(set, ["defaultMode", "digitalDownloads"]);
  return (
    <Section title={t("settings.noRule.title")}>
      <ChoiceList
        title={t("settings.noRule.defaultMode")}
        name="defaultMode"
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
        selected={[props.defaultMode]}
        error={props.defaultModeError}
        onChange={(selected) => set("defaultMode", first(selected))}
      />
      <ChoiceList
        title={t("settings.noRule.digital")}
        name="digitalDownloads"
        choices={[
          { label: t("settings.noRule.digitalAutomatic"), value: "automatic" },
          {
            label: t("settings.noRule.digitalReview"),
            value: "review",
            helpText: t("settings.noRule.digitalReviewHelp"),
          },
        ]}
        selected={[props.digitalDownloads]}
        error={props.digitalDownloadsError}
        onChange={(selected) => set("digitalDownloads", first(selected))}
      />
    </Section>
  );
});

const PaymentSection = ownHydration(function PaymentSection(props: {
  capturePolicy: string;
  authorizationWarnHours: string;
  capturePolicyError?: string;
  authorizationWarnHoursError?: string;
  set: SetSettingsField;
}) {
  const { t } = useTranslation();
  const { set } = props;
  useEarlyInput(set, ["capturePolicy", "authorizationWarnHours"]);
  return (
    <Section title={t("settings.payment.title")}>
      <ChoiceList
        title={t("settings.payment.capture")}
        name="capturePolicy"
        choices={CAPTURE_POLICIES.map((value) => ({
          label: t(`settings.payment.${value}`),
          value,
        }))}
        selected={[props.capturePolicy]}
        error={props.capturePolicyError}
        onChange={(selected) => set("capturePolicy", first(selected))}
      />
      <TextField
        label={t("deadlines.settings.warnHours")}
        name="authorizationWarnHours"
        value={props.authorizationWarnHours}
        inputMode="numeric"
        autoComplete="off"
        suffix={t("deadlines.settings.hours")}
        helpText={t("deadlines.settings.warnHoursHelp")}
        error={props.authorizationWarnHoursError}
        onChange={(text) => set("authorizationWarnHours", text)}
      />
    </Section>
  );
});

const CustomersSection = ownHydration(function CustomersSection(props: {
  notifyCustomer: boolean;
  autoReleaseAfterMinutes: string;
  notifyCustomerError?: string;
  autoReleaseAfterMinutesError?: string;
  set: SetSettingsField;
}) {
  const { t } = useTranslation();
  const { set } = props;
  useEarlyInput(set, ["notifyCustomer", "autoReleaseAfterMinutes"]);
  return (
    <Section title={t("settings.customers.title")}>
      <Checkbox
        label={t("settings.customers.notify")}
        name="notifyCustomer"
        helpText={t("settings.customers.notifyHelp")}
        checked={props.notifyCustomer}
        error={props.notifyCustomerError}
        onChange={(checked) => set("notifyCustomer", checked)}
      />
      <TextField
        label={t("settings.customers.autoRelease")}
        name="autoReleaseAfterMinutes"
        value={props.autoReleaseAfterMinutes}
        inputMode="numeric"
        autoComplete="off"
        helpText={t("settings.customers.autoReleaseHelp")}
        error={props.autoReleaseAfterMinutesError}
        onChange={(text) => set("autoReleaseAfterMinutes", text)}
      />
    </Section>
  );
});

const ServicesSection = ownHydration(function ServicesSection(props: {
  releaseGate: boolean;
  set: SetSettingsField;
}) {
  const { t } = useTranslation();
  const { set } = props;
  useEarlyInput(set, ["releaseGate"]);
  return (
    <Section title={t("settings.services.title")}>
      <Checkbox
        label={t("settings.services.releaseGate")}
        name="releaseGate"
        helpText={t("settings.services.releaseGateHelp")}
        checked={props.releaseGate}
        onChange={(checked) => set("releaseGate", checked)}
      />
    </Section>
  );
});

const RetentionSection = ownHydration(function RetentionSection(props: {
  retentionDays: string;
  retentionDaysError?: string;
  set: SetSettingsField;
}) {
  const { t } = useTranslation();
  const { set } = props;
  useEarlyInput(set, ["retentionDays"]);
  return (
    <Section title={t("hardening.retention.title")}>
      <TextField
        label={t("hardening.retention.days")}
        name="retentionDays"
        value={props.retentionDays}
        inputMode="numeric"
        autoComplete="off"
        helpText={t("hardening.retention.help")}
        error={props.retentionDaysError}
        onChange={(text) => set("retentionDays", text)}
      />
    </Section>
  );
});

const RemakeSection = ownHydration(function RemakeSection(props: {
  remakeReasons: string;
  remakeReasonsError?: string;
  set: SetSettingsField;
}) {
  const { t } = useTranslation();
  const { set } = props;
  useEarlyInput(set, ["remakeReasons"]);
  return (
    <Section title={t("afterSales.remake.settingsTitle")}>
      <TextField
        label={t("afterSales.remake.reasons")}
        name="remakeReasons"
        value={props.remakeReasons}
        multiline={4}
        autoComplete="off"
        helpText={t("afterSales.remake.reasonsHelp")}
        error={props.remakeReasonsError}
        onChange={(text) => set("remakeReasons", text)}
      />
    </Section>
  );
});

export function SettingsForm({ values, errors, onChange }: SettingsFormProps) {
  return (
    <BlockStack gap="400">
      <NoRuleSection
        defaultMode={values.defaultMode}
        digitalDownloads={values.digitalDownloads}
        defaultModeError={errors.defaultMode}
        digitalDownloadsError={errors.digitalDownloads}
        set={onChange}
      />
      <PaymentSection
        capturePolicy={values.capturePolicy}
        authorizationWarnHours={values.authorizationWarnHours}
        capturePolicyError={errors.capturePolicy}
        authorizationWarnHoursError={errors.authorizationWarnHours}
        set={onChange}
      />
      <CustomersSection
        notifyCustomer={values.notifyCustomer}
        autoReleaseAfterMinutes={values.autoReleaseAfterMinutes}
        notifyCustomerError={errors.notifyCustomer}
        autoReleaseAfterMinutesError={errors.autoReleaseAfterMinutes}
        set={onChange}
      />
      <ServicesSection releaseGate={values.releaseGate} set={onChange} />
      <RetentionSection
        retentionDays={values.retentionDays}
        retentionDaysError={errors.retentionDays}
        set={onChange}
      />
      <RemakeSection
        remakeReasons={values.remakeReasons}
        remakeReasonsError={errors.remakeReasons}
        set={onChange}
      />
    </BlockStack>
  );
}
