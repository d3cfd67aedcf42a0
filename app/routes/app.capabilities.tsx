// Capabilities: for each of the shop's locations, whether it produces and what it can make, saved
// together with a contextual save bar; errors beside each field.
// App Bridge reads variant, tone and loading from the buttons inside ui-title-bar and ui-save-bar.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { useTranslation } from "react-i18next";
import { FormPageActions, FormSaveBar } from "../components/FormSaveBar";
import { useSaveBarForm } from "../components/useSaveBarForm";
import { z } from "zod";
import db from "../db.server";
import { authenticate } from "../shopify.server";
import { translatorFor } from "../i18n/i18next.server";
import { renderFieldErrors, renderWords } from "../i18n/words";
import { gatewayForShop } from "../gateways.server";
import {
  asProfileDrafts,
  errorsByLocation,
  loadLocationsOrProblem,
  loadProfiles,
  profileToDraft,
  saveProfiles,
} from "../services/capabilities.server";
import {
  CapabilityProfileCard,
  type ProfileEntry,
} from "../components/settings/CapabilityProfileCard";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const t = await translatorFor(request);
  const [{ locations, problem }, { profiles, unreadable }] = await Promise.all([
    loadLocationsOrProblem(() => gatewayForShop(session.shop)),
    loadProfiles(db, session.shop),
  ]);
  const byLocation = new Map(profiles.map((profile) => [profile.locationId, profile]));
  const entries: ProfileEntry[] = locations.map((location) => {
    const profile = byLocation.get(location.id);
    return {
      locationId: location.id,
      locationName: location.name,
      fulfilmentService: location.fulfilmentService,
      listed: true,
      active: location.isActive,
      produces: Boolean(profile),
      draft: profile
        ? profileToDraft(profile)
        : {
            locationId: location.id,
            name: location.name,
            kind: location.fulfilmentService ? "partner" : "in_house",
            productTypes: "",
            options: [],
          },
    };
  });
  // Profiles for locations Shopify did not list stay visible, so none is lost or kept unseen.
  for (const profile of profiles) {
    if (locations.some((location) => location.id === profile.locationId)) continue;
    entries.push({
      locationId: profile.locationId,
      locationName: profile.name,
      fulfilmentService: null,
      listed: false,
      active: false,
      produces: true,
      draft: profileToDraft(profile),
    });
  }
  return { entries, problem: problem ? renderWords(t, problem) : null, unreadable };
};

type SaveResult =
  { ok: true; saved: number } | { ok: false; errors: Record<string, Record<string, string>> };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const t = await translatorFor(request);
  // The profiles to keep, every one: a body without the list (`{}`) is refused rather than read as
  // "keep none", which would delete every profile.
  const body = z
    .object({ profiles: z.array(z.unknown()) })
    .safeParse(await request.json().catch(() => null));
  if (!body.success) throw new Response(t("capabilities.notAList"), { status: 400 });
  const drafts = asProfileDrafts(body.data.profiles);
  const [{ locations, problem }, { profiles }] = await Promise.all([
    loadLocationsOrProblem(() => gatewayForShop(session.shop)),
    loadProfiles(db, session.shop),
  ]);
  // The shop's locations, plus those already profiled (Shopify may not list every location).
  const known = problem
    ? null
    : [...locations.map((l) => l.id), ...profiles.map((p) => p.locationId)];
  const result = await saveProfiles(db, session.shop, drafts, known);
  if (!result.ok)
    return data<SaveResult>(
      { ok: false, errors: errorsByLocation(drafts, renderFieldErrors(t, result.errors)) },
      { status: 422 },
    );
  return { ok: true, saved: result.saved } satisfies SaveResult;
};

export default function Capabilities() {
  const { entries: initial, problem, unreadable } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const {
    values: entries,
    setValues: setEntries,
    errors,
    setErrors,
    saveBar,
  } = useSaveBarForm<ProfileEntry[], Record<string, Record<string, string>>, SaveResult>({
    initial,
    // Only the locations that produce something keep a profile.
    body: (all) => ({
      profiles: all.filter((entry) => entry.produces).map((entry) => entry.draft),
    }),
    saved: t("capabilities.saved"),
  });

  const errorCount = Object.values(errors).reduce(
    (n, byField) => n + Object.keys(byField).length,
    0,
  );

  return (
    <Page>
      <TitleBar title={t("nav.capabilities")} />
      <FormSaveBar id="capabilities-save-bar" {...saveBar} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Text as="p" tone="subdued">
              {t("capabilities.help")}
            </Text>
            {errorCount > 0 ? (
              <Banner tone="critical" title={t("capabilities.notSaved")}>
                <Text as="p">{t("common.fixFieldsSentence")}</Text>
              </Banner>
            ) : null}
            {problem ? (
              <Banner tone="warning" title={t("capabilities.locationsNotLoaded")}>
                <Text as="p">{problem}</Text>
              </Banner>
            ) : null}
            {unreadable.length > 0 ? (
              <Banner tone="warning" title={t("capabilities.unreadable")}>
                <Text as="p">
                  {t("capabilities.unreadableHelp", { profiles: unreadable.join(", ") })}
                </Text>
              </Banner>
            ) : null}
            {entries.map((entry, i) => (
              <CapabilityProfileCard
                key={entry.locationId}
                entry={entry}
                errors={errors[entry.locationId] ?? {}}
                onChange={(next, field) => {
                  // From the current entries: two cards can change in one commit (each taking
                  // what the merchant ticked before React started, once hydrated).
                  setEntries((current) => current.map((e, j) => (j === i ? next : e)));
                  setErrors((current) => {
                    const mine = Object.fromEntries(
                      Object.entries(current[entry.locationId] ?? {}).filter(
                        ([key]) => field !== "" && key !== field && !key.startsWith(`${field}.`),
                      ),
                    );
                    return { ...current, [entry.locationId]: mine };
                  });
                }}
              />
            ))}
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <FormPageActions saveBar={saveBar} />
        </Layout.Section>
      </Layout>
    </Page>
  );
}
