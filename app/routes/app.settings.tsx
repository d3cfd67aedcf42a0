// Settings: what the engine does where no rule decides, with a contextual save bar and errors beside each field.
// App Bridge reads variant, tone and loading from the buttons inside ui-title-bar and ui-save-bar.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { useTranslation } from "react-i18next";
import { FormPageActions, FormSaveBar } from "../components/FormSaveBar";
import { useSaveBarForm } from "../components/useSaveBarForm";
import db from "../db.server";
import { authenticate } from "../shopify.server";
import {
  REMAKE_REASONS_INVALID,
  RETENTION_INVALID,
  RETENTION_MAX_DAYS,
  RETENTION_MIN_DAYS,
  WARN_HOURS_INVALID,
  WARN_HOURS_MAX,
  WARN_HOURS_MIN,
  loadSettingsForm,
  saveSettings,
  type SettingsForm as SettingsValues,
} from "../services/settings.server";
import { translatorFor } from "../i18n/i18next.server";
import { REMAKE_REASON_MAX_LENGTH, REMAKE_REASONS_MAX } from "../routing";
import { SettingsForm } from "../components/settings/SettingsForm";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { form: await loadSettingsForm(db, session.shop) };
};

type SaveResult = { ok: true } | { ok: false; errors: Record<string, string> };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const result = await saveSettings(db, session.shop, await request.json().catch(() => null));
  if (!result.ok) {
    const errors = { ...result.errors };
    const t = await translatorFor(request);
    if (errors.retentionDays === RETENTION_INVALID)
      errors.retentionDays = t(RETENTION_INVALID, {
        min: RETENTION_MIN_DAYS,
        max: RETENTION_MAX_DAYS,
      });
    if (errors.remakeReasons === REMAKE_REASONS_INVALID)
      errors.remakeReasons = t(REMAKE_REASONS_INVALID, {
        max: REMAKE_REASONS_MAX,
        length: REMAKE_REASON_MAX_LENGTH,
      });
    if (errors.authorizationWarnHours === WARN_HOURS_INVALID)
      errors.authorizationWarnHours = t(WARN_HOURS_INVALID, {
        min: WARN_HOURS_MIN,
        max: WARN_HOURS_MAX,
      });
    return data<SaveResult>({ ok: false, errors }, { status: 422 });
  }
  return { ok: true } satisfies SaveResult;
};

/** The screens reached from Settings, each a card saying what it is for. */
const LINKS = [
  {
    url: "/app/export",
    titleKey: "nav.export",
    helpKey: "settings.log.help",
    buttonKey: "settings.log.export",
  },
  {
    url: "/app/data-requests",
    titleKey: "hardening.dataRequests.link",
    helpKey: "hardening.dataRequests.linkHelp",
    buttonKey: "hardening.dataRequests.title",
  },
  {
    url: "/app/push",
    titleKey: "fulfill.push.link",
    helpKey: "fulfill.push.linkHelp",
    buttonKey: "fulfill.push.title",
  },
] as const;

export default function Settings() {
  const { form } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const { values, setValues, errors, setErrors, saveBar } = useSaveBarForm<
    SettingsValues,
    Record<string, string>,
    SaveResult
  >({ initial: form, body: (v) => v, saved: t("settings.saved") });

  return (
    <Page>
      <TitleBar title={t("nav.settings")} />
      <FormSaveBar id="settings-save-bar" {...saveBar} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {Object.keys(errors).length > 0 ? (
              <Banner tone="critical" title={t("settings.notSaved")}>
                <Text as="p">{t("common.fixFieldsSentence")}</Text>
              </Banner>
            ) : null}
            <SettingsForm
              values={values}
              errors={errors}
              onChange={(next, field) => {
                setValues(next);
                setErrors(({ [field]: _fixed, ...rest }) => rest);
              }}
            />
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <FormPageActions saveBar={saveBar} />
        </Layout.Section>
        {LINKS.map((link) => (
          <Layout.Section key={link.url}>
            <Card>
              <BlockStack gap="200" inlineAlign="start">
                <Text as="h2" variant="headingMd">
                  {t(link.titleKey)}
                </Text>
                <Text as="p" tone="subdued">
                  {t(link.helpKey)}
                </Text>
                <Button url={link.url}>{t(link.buttonKey)}</Button>
              </BlockStack>
            </Card>
          </Layout.Section>
        ))}
      </Layout>
    </Page>
  );
}
