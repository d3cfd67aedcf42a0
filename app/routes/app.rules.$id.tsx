// The rule editor (id "new" creates): field-level errors from routing's parser, a contextual save
// bar while there are unsaved changes, and a dry-run of the edited rules against recent orders.
// App Bridge reads variant, tone and loading from the buttons inside ui-title-bar and ui-save-bar.
import { useEffect, useState } from "react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import {
  isRouteErrorResponse,
  useFetcher,
  useLoaderData,
  useNavigate,
  useRouteError,
  type ShouldRevalidateFunction,
} from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import {
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  InlineStack,
  Layout,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { Modal, TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { FormPageActions, FormSaveBar } from "../components/FormSaveBar";
import { useSaveBarForm } from "../components/useSaveBarForm";
import { z } from "zod";
import db from "../db.server";
import { authenticate } from "../shopify.server";
import { translatorFor } from "../i18n/i18next.server";
import { renderFieldErrors, renderWords } from "../i18n/words";
import { gatewayForShop } from "../gateways.server";
import { deleteRule, getRule, saveRule, validateRuleDraft } from "../services/rules.server";
import { stockNewsMayChange } from "../fulfilment/stock-subscription.server";
import { jobQueue } from "../process-queue.server";
import { loadLocationsOrProblem } from "../services/capabilities.server";
import { runDryRun, type DryRunReport } from "../services/dry-run.server";
import {
  DEFAULT_DRY_RUN_ORDERS,
  emptyRuleDraft,
  MAX_DRY_RUN_ORDERS,
  ruleToDraft,
  type RuleDraft,
} from "../routing/rule-draft";
import { RuleForm } from "../components/rules/RuleForm";
import { DryRunResults } from "../components/rules/DryRunResults";
import { CardHeading } from "../components/CardHeading";
import { NotFoundPage } from "../components/NotFoundPage";

/** Another shop's rule id, or one deleted meanwhile, is no rule here: 404 in the admin's words. */
const ruleGone = (t: TFunction) => new Response(t("rules.commands.notFound"), { status: 404 });

/**
 * A command on a rule deleted meanwhile (another tab, another staff member) answers on the editor,
 * which keeps the merchant's edits (ADR 044): thrown, the 404 would replace them with the
 * not-found page. Still a 404, so another shop's rule id reads as refused.
 */
const goneAnswer = (t: TFunction, intent: "save" | "dry-run" | "delete") =>
  data<EditorResult>(
    { intent, ok: false, gone: true, errors: {}, message: t("rules.commands.notFound") },
    { status: 404 },
  );

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = params.id === "new" ? null : (params.id ?? null);
  const [loaded, shopLocations] = await Promise.all([
    id ? getRule(db, session.shop, id) : Promise.resolve(null),
    loadLocationsOrProblem(() => gatewayForShop(session.shop)),
  ]);
  const t = await translatorFor(request);
  if (id && !loaded) throw ruleGone(t);
  let draft: RuleDraft = emptyRuleDraft();
  let storedErrors: Record<string, string> | null = null;
  if (loaded?.ok) draft = ruleToDraft(loaded.rule);
  else if (loaded) {
    // A stored rule that no longer parses opens with its name, and says what is wrong.
    draft = { ...emptyRuleDraft(), name: loaded.name, enabled: loaded.enabled, actions: [] };
    storedErrors = renderFieldErrors(t, loaded.errors);
  }
  return {
    id,
    draft,
    storedErrors,
    locations: shopLocations.locations.map((l) => ({
      label: l.fulfilmentService ? `${l.name} (${l.fulfilmentService})` : l.name,
      value: l.id,
    })),
    locationProblem: shopLocations.problem ? renderWords(t, shopLocations.problem) : null,
  };
};

const bodySchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("save"), draft: z.unknown() }),
  z.object({
    intent: z.literal("dry-run"),
    draft: z.unknown(),
    limit: z.union([z.string(), z.number()]).optional(),
  }),
  z.object({ intent: z.literal("delete") }),
]);

export type EditorResult =
  | { intent: "save"; ok: true; id: string; created: boolean }
  | {
      intent: "save" | "dry-run" | "delete";
      ok: false;
      errors: Record<string, string>;
      message?: string;
      /** The rule is no longer there (deleted meanwhile). */
      gone?: true;
    }
  | { intent: "dry-run"; ok: true; report: DryRunReport };

const isGone = (answer: EditorResult | undefined) => !!answer && !answer.ok && "gone" in answer;

const limitSchema = (t: TFunction) =>
  z.coerce
    .number({ invalid_type_error: t("rules.editor.limit.number") })
    .int(t("rules.editor.limit.whole"))
    .min(1, t("rules.editor.limit.min"))
    .max(MAX_DRY_RUN_ORDERS, t("rules.editor.limit.max", { max: MAX_DRY_RUN_ORDERS }));

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, redirect } = await authenticate.admin(request);
  const t = await translatorFor(request);
  const shop = session.shop;
  const id = params.id === "new" ? null : (params.id ?? null);
  const parsed = bodySchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) throw new Response(t("rules.commands.unknown"), { status: 400 });
  const body = parsed.data;

  if (body.intent === "delete") {
    // Another shop's rule id (or one deleted meanwhile) is no rule here.
    if (id && !(await deleteRule(db, shop, id))) return goneAnswer(t, "delete");
    await stockNewsMayChange(jobQueue(), shop);
    return redirect("/app/rules");
  }

  if (body.intent === "save") {
    const result = await saveRule(db, shop, id, body.draft);
    // A rule that splits by stock subscribes the shop to stock news; one no longer doing so may
    // end them (ADR 101).
    if (result.ok) await stockNewsMayChange(jobQueue(), shop);
    if (result.ok)
      return {
        intent: "save",
        ok: true,
        id: result.rule.id,
        created: result.created,
      } satisfies EditorResult;
    if ("notFound" in result) return goneAnswer(t, "save");
    return data<EditorResult>(
      { intent: "save", ok: false, errors: renderFieldErrors(t, result.errors) },
      { status: 422 },
    );
  }

  const limit = limitSchema(t).safeParse(
    body.limit === undefined || body.limit === "" ? DEFAULT_DRY_RUN_ORDERS : body.limit,
  );
  const validated = await validateRuleDraft(db, shop, id, body.draft);
  if (!validated.ok || !limit.success) {
    if (validated.ok === false && "notFound" in validated) return goneAnswer(t, "dry-run");
    const errors = {
      ...(validated.ok ? {} : renderFieldErrors(t, validated.errors)),
      ...(limit.success
        ? {}
        : { limit: limit.error.issues[0]?.message ?? t("rules.editor.limit.number") }),
    };
    return data<EditorResult>({ intent: "dry-run", ok: false, errors }, { status: 422 });
  }
  try {
    const report = await runDryRun(
      { db, gateway: await gatewayForShop(shop) },
      { shop, edited: validated.rule, limit: limit.data },
    );
    return { intent: "dry-run", ok: true, report } satisfies EditorResult;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return data<EditorResult>(
      {
        intent: "dry-run",
        ok: false,
        errors: {},
        message: t("rules.editor.dryRunFailed", { error: message }),
      },
      { status: 502 },
    );
  }
};

/** Where a new rule is saved: the edits of a rule deleted meanwhile go there. */
const NEW_RULE_PATH = "/app/rules/new";

/**
 * Nothing is read again once a command found the rule deleted meanwhile (its 404), or after its
 * edits were saved as a new rule: this address has no rule any more, and reading it would swap the
 * editor, and the merchant's edits, for the not-found page (the editor goes on to the new rule's
 * address by itself).
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({
  formAction,
  currentParams,
  actionResult,
  defaultShouldRevalidate,
}) => {
  if (isGone(actionResult as EditorResult | undefined)) return false;
  if (formAction === NEW_RULE_PATH && currentParams.id !== "new") return false;
  return defaultShouldRevalidate;
};

/** What a fetcher may submit; the editor posts its draft as JSON. */
type SubmitTarget = Parameters<ReturnType<typeof useFetcher>["submit"]>[0];
const asJson = (value: object) => value as unknown as SubmitTarget;

/** Errors about fields at or under `path` go once the merchant changes that part of the form. */
function withoutErrorsUnder(errors: Record<string, string>, path: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(errors).filter(([key]) => key !== path && !key.startsWith(`${path}.`)),
  );
}

export default function RuleEditorPage() {
  const loaded = useLoaderData<typeof loader>();
  // Keyed by id: after "new" is saved and becomes an id, the editor starts from the stored rule.
  return <RuleEditor key={loaded.id ?? "new"} {...loaded} />;
}

function RuleEditor({
  id,
  draft: initial,
  storedErrors,
  locations,
  locationProblem,
}: ReturnType<typeof useLoaderData<typeof loader>>) {
  const shopify = useAppBridge();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const tester = useFetcher<EditorResult>();
  const remover = useFetcher<EditorResult>();
  // Saves the edits of a rule deleted meanwhile as a new rule (the action of /app/rules/new).
  const recreator = useFetcher<EditorResult>();
  const {
    answer: saveAnswer,
    baseline,
    values: draft,
    setValues: setDraft,
    errors,
    setErrors,
    saveBar,
  } = useSaveBarForm<RuleDraft, Record<string, string>, EditorResult>({
    initial,
    initialErrors: storedErrors ?? {},
    body: (d) => ({ intent: "save", draft: d }),
    saved: t("rules.editor.saved"),
    // A rule deleted meanwhile is answered below, with the edits kept.
    isSave: (answer) => answer.intent === "save" && !isGone(answer),
    // A new rule saved: its own page, where the editor starts from the stored rule.
    onSaved: (answer) => {
      if ("created" in answer && answer.created)
        navigate(`/app/rules/${answer.id}`, { replace: true });
    },
  });
  const [limit, setLimit] = useState(String(DEFAULT_DRY_RUN_ORDERS));
  const [confirmDelete, setConfirmDelete] = useState(false);
  // Set once a save or dry-run found the rule deleted meanwhile: the edits stay, with a way on.
  const [gone, setGone] = useState(false);
  const testing = tester.state !== "idle";

  // Each answer once, as it comes in (the other fetchers' answers may come and go meanwhile).
  const foundGone = () => {
    setGone(true);
    shopify.toast.show(t("rules.editor.gone.toast"), { isError: true });
  };
  useEffect(() => {
    if (isGone(saveAnswer)) foundGone();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [saveAnswer]);
  const testerAnswer = tester.state === "idle" ? tester.data : undefined;
  useEffect(() => {
    if (isGone(testerAnswer)) foundGone();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [testerAnswer]);

  // Deleting a rule someone deleted first: what the merchant asked for is done, so on to Rules.
  const removerAnswer = remover.state === "idle" ? remover.data : undefined;
  useEffect(() => {
    if (!isGone(removerAnswer)) return;
    shopify.toast.show(t("rules.editor.gone.alreadyDeleted"));
    navigate("/app/rules");
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [removerAnswer]);

  // Saved as a new rule: its own page, as a new rule's first save goes.
  const recreated = recreator.state === "idle" ? recreator.data : undefined;
  useEffect(() => {
    if (!recreated || recreated.intent !== "save") return;
    if (recreated.ok) {
      shopify.toast.show(t("rules.editor.saved"));
      navigate(`/app/rules/${recreated.id}`, { replace: true });
    } else {
      setErrors(recreated.errors);
      shopify.toast.show(t("common.fixFields"), { isError: true });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [recreated]);

  useEffect(() => {
    if (tester.state !== "idle" || !tester.data || tester.data.intent !== "dry-run") return;
    if (!tester.data.ok && !isGone(tester.data)) {
      setErrors(tester.data.errors);
      shopify.toast.show(tester.data.message ?? t("rules.editor.fixBeforeDryRun"), {
        isError: true,
      });
    }
  }, [tester.state, tester.data, shopify, t, setErrors]);

  const report = tester.data?.intent === "dry-run" && tester.data.ok ? tester.data.report : null;
  const dryRunMessage =
    tester.data?.intent === "dry-run" && !tester.data.ok && !isGone(tester.data)
      ? tester.data.message
      : undefined;
  const errorCount = Object.keys(errors).filter((key) => key !== "limit").length;
  // The saved name: the title bar names the rule being edited, not what is being typed.
  const title = id ? baseline.name || t("rules.editor.editTitle") : t("rules.editor.newTitle");

  return (
    <Page>
      <TitleBar title={title}>
        <button variant="breadcrumb" onClick={() => navigate("/app/rules")}>
          {t("nav.rules")}
        </button>
      </TitleBar>
      <FormSaveBar id="rule-save-bar" {...saveBar} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {gone ? (
              <Banner
                tone="warning"
                title={t("rules.editor.gone.title")}
                action={{
                  content: t("rules.editor.gone.saveAsNew"),
                  loading: recreator.state !== "idle",
                  onAction: () =>
                    recreator.submit(asJson({ intent: "save", draft }), {
                      method: "post",
                      action: NEW_RULE_PATH,
                      encType: "application/json",
                    }),
                }}
                secondaryAction={{
                  content: t("rules.editor.gone.back"),
                  onAction: () => navigate("/app/rules"),
                }}
              >
                <Text as="p">{t("rules.editor.gone.body")}</Text>
              </Banner>
            ) : null}
            {errorCount > 0 ? (
              <Banner tone="critical" title={t("rules.editor.problems", { count: errorCount })}>
                <Text as="p">{t("rules.editor.nothingSaved")}</Text>
                {errors[""] ? <Text as="p">{errors[""]}</Text> : null}
              </Banner>
            ) : null}
            {locationProblem ? (
              <Banner tone="warning" title={t("rules.editor.locationsNotLoaded")}>
                <Text as="p">{locationProblem}</Text>
              </Banner>
            ) : null}
            <RuleForm
              draft={draft}
              errors={errors}
              locations={locations}
              onChange={(next, path) => {
                setDraft(next);
                setErrors((current) => withoutErrorsUnder(current, path));
              }}
            />
          </BlockStack>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <CardHeading title={t("rules.editor.tryTitle")} help={t("rules.editor.tryHelp")} />
              <InlineStack gap="300" blockAlign="end" wrap>
                <Box minWidth="160px">
                  <TextField
                    label={t("rules.editor.ordersToCheck")}
                    value={limit}
                    inputMode="numeric"
                    autoComplete="off"
                    error={errors.limit}
                    onChange={(next) => {
                      setLimit(next);
                      setErrors((current) => withoutErrorsUnder(current, "limit"));
                    }}
                  />
                </Box>
                <Button
                  onClick={() =>
                    tester.submit(asJson({ intent: "dry-run", draft, limit }), {
                      method: "post",
                      encType: "application/json",
                    })
                  }
                  loading={testing}
                >
                  {t("rules.editor.runDryRun")}
                </Button>
              </InlineStack>
              {dryRunMessage ? (
                <Banner tone="critical" title={t("rules.editor.dryRunUnfinished")}>
                  <Text as="p">{dryRunMessage}</Text>
                </Banner>
              ) : null}
              {report ? <DryRunResults report={report} /> : null}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <FormPageActions
            saveBar={saveBar}
            alwaysSavable={id === null}
            secondaryActions={
              id
                ? [
                    {
                      content: t("rules.delete.title"),
                      destructive: true,
                      onAction: () => setConfirmDelete(true),
                      loading: remover.state !== "idle",
                    },
                  ]
                : []
            }
          />
        </Layout.Section>
      </Layout>
      <Modal id="delete-rule" open={confirmDelete} onHide={() => setConfirmDelete(false)}>
        <Box padding="400">
          <Text as="p">{t("rules.delete.question", { name: baseline.name })}</Text>
        </Box>
        <TitleBar title={t("rules.delete.title")}>
          <button
            variant="primary"
            tone="critical"
            onClick={() => {
              setConfirmDelete(false);
              remover.submit({ intent: "delete" }, { method: "post", encType: "application/json" });
            }}
          >
            {t("rules.delete.confirm")}
          </button>
          <button onClick={() => setConfirmDelete(false)}>{t("common.cancel")}</button>
        </TitleBar>
      </Modal>
    </Page>
  );
}

/**
 * An address with no rule of this shop's (mistyped, deleted, another shop's) gets a page of its own
 * (ADR 044); anything else goes to Shopify's boundary, which lets its authentication answers through.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  if (isRouteErrorResponse(error) && error.status === 404)
    return (
      <NotFoundPage
        title={t("rules.notFound.title")}
        body={t("rules.notFound.body")}
        back={{ content: t("nav.rules"), url: "/app/rules" }}
      />
    );
  return boundary.error(error);
}
