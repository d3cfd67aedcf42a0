// Settings: what the engine does where no rule decides, with a contextual save bar and errors beside each field.
// App Bridge reads variant, tone and loading from the buttons inside ui-title-bar and ui-save-bar.
import { useCallback, useEffect, useMemo, useState } from "react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Layout,
  Page,
  PageActions,
  Text,
} from "@shopify/polaris";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { useTranslation } from "react-i18next";
import { FormSaveBar } from "../components/FormSaveBar";
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

type SubmitTarget = Parameters<ReturnType<typeof useFetcher>["submit"]>[0];

export default function Settings() {
  const { form } = useLoaderData<typeof loader>();
  const shopify = useAppBridge();
  const { t } = useTranslation();
  const fetcher = useFetcher<SaveResult>();
  const [baseline, setBaseline] = useState<SettingsValues>(form);
  const [values, setValues] = useState<SettingsValues>(form);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const dirty = useMemo(
    () => JSON.stringify(values) !== JSON.stringify(baseline),
    [values, baseline],
  );
  const saving = fetcher.state !== "idle";

  const save = useCallback(() => {
    fetcher.submit(values as unknown as SubmitTarget, {
      method: "post",
      encType: "application/json",
    });
  }, [fetcher, values]);
  const discard = useCallback(() => {
    setValues(baseline);
    setErrors({});
  }, [baseline]);

  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    if (fetcher.data.ok) {
      setErrors({});
      setBaseline(values);
      shopify.toast.show(t("settings.saved"));
    } else {
      setErrors(fetcher.data.errors);
      shopify.toast.show(t("common.fixFields"), { isError: true });
    }
    // Only when a save finishes; the values at that moment are what was saved.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetcher.state, fetcher.data]);

  return (
    <Page>
      <TitleBar title={t("nav.settings")} />
      <FormSaveBar
        id="settings-save-bar"
        open={dirty}
        saving={saving}
        onSave={save}
        onDiscard={discard}
      />
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
          <PageActions
            primaryAction={{
              content: t("common.save"),
              onAction: save,
              loading: saving,
              disabled: !dirty,
            }}
          />
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200" inlineAlign="start">
              <Text as="h2" variant="headingMd">
                {t("nav.export")}
              </Text>
              <Text as="p" tone="subdued">
                {t("settings.log.help")}
              </Text>
              <Button url="/app/export">{t("settings.log.export")}</Button>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200" inlineAlign="start">
              <Text as="h2" variant="headingMd">
                {t("hardening.dataRequests.link")}
              </Text>
              <Text as="p" tone="subdued">
                {t("hardening.dataRequests.linkHelp")}
              </Text>
              <Button url="/app/data-requests">{t("hardening.dataRequests.title")}</Button>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200" inlineAlign="start">
              <Text as="h2" variant="headingMd">
                {t("fulfill.push.link")}
              </Text>
              <Text as="p" tone="subdued">
                {t("fulfill.push.linkHelp")}
              </Text>
              <Button url="/app/push">{t("fulfill.push.title")}</Button>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
