// Settings: what the engine does where no rule decides, with a contextual save bar and errors beside each field.
// App Bridge reads variant, tone and loading from the buttons inside ui-title-bar and ui-save-bar.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { Suspense, memo, useCallback } from "react";
import { useTranslation } from "react-i18next";
import { FormPageActions, FormSaveBar } from "../components/FormSaveBar";
import { useSaveBarForm } from "../components/useSaveBarForm";
import db from "../db.server";
import { authenticate } from "../shopify.server";
import {
  loadSettingsForm,
  saveSettings,
  type SettingsForm as SettingsValues,
} from "../services/settings.server";
import { translatorFor } from "../i18n/i18next.server";
import { renderFieldErrors } from "../i18n/words";
import { SettingsForm, type SetSettingsField } from "../components/settings/SettingsForm";
import { CardHeading } from "../components/CardHeading";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return { form: await loadSettingsForm(db, session.shop) };
};

type SaveResult = { ok: true } | { ok: false; errors: Record<string, string> };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const result = await saveSettings(db, session.shop, await request.json().catch(() => null));
  if (!result.ok) {
    // Each field's error in the admin's language, beside its field.
    const errors = renderFieldErrors(await translatorFor(request), result.errors);
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

function LinkCard({ link }: { link: (typeof LINKS)[number] }) {
  const { t } = useTranslation();
  return (
    <Card>
      <BlockStack gap="200" inlineAlign="start">
        <CardHeading title={t(link.titleKey)} help={t(link.helpKey)} />
        <Button url={link.url}>{t(link.buttonKey)}</Button>
      </BlockStack>
    </Card>
  );
}

/**
 * The link cards; memoised, since they never change as the form is edited, and each hydrating on
 * its own as the form's cards do (SettingsForm), after the page around them.
 */
const SettingsLinks = memo(function SettingsLinks() {
  return LINKS.map((link) => (
    <Layout.Section key={link.url}>
      <Suspense>
        <LinkCard link={link} />
      </Suspense>
    </Layout.Section>
  ));
});

export default function Settings() {
  const { form } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const { values, setValues, errors, setErrors, saveBar } = useSaveBarForm<
    SettingsValues,
    Record<string, string>,
    SaveResult
  >({ initial: form, body: (v) => v, saved: t("settings.saved") });
  // Stable, so the form redraws only the card whose field changed; a field's error goes once it is edited.
  const setField = useCallback<SetSettingsField>(
    (field, value) => {
      setValues((current) => ({ ...current, [field]: value }));
      setErrors((current) => {
        if (!(field in current)) return current;
        const { [field]: _fixed, ...rest } = current;
        return rest;
      });
    },
    [setValues, setErrors],
  );

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
            <SettingsForm values={values} errors={errors} onChange={setField} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <FormPageActions saveBar={saveBar} />
        </Layout.Section>
        <SettingsLinks />
      </Layout>
    </Page>
  );
}
