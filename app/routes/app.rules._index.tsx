// Rules: the merchant's rules in the order they run, with moving, switching on and off,
// duplicating and deleting.
// App Bridge reads variant, tone and loading from the buttons inside ui-title-bar and ui-save-bar.
import { useEffect, useRef, useState } from "react";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigate } from "@remix-run/react";
import { BlockStack, Box, Button, Card, Layout, Page, Text } from "@shopify/polaris";
import { Modal, TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import db from "../db.server";
import { authenticate } from "../shopify.server";
import { translatorFor } from "../i18n/i18next.server";
import { postedForm } from "../utils/form.server";
import {
  deleteRule,
  duplicateRule,
  listRules,
  moveRule,
  setRuleEnabled,
} from "../services/rules.server";
import { stockNewsMayChange } from "../fulfilment/stock-subscription.server";
import { jobQueue } from "../process-queue.server";
import { loadProfiles } from "../services/capabilities.server";
import { RuleRow } from "../components/rules/RuleRow";
import { CardHeading } from "../components/CardHeading";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  // Locations named as the capability profiles name them: no Admin API call for a list.
  const { profiles } = await loadProfiles(db, session.shop);
  const names = new Map(profiles.map((profile) => [profile.locationId, profile.name]));
  return { rules: await listRules(db, session.shop, (id) => names.get(id)) };
};

const commandSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("move"), id: z.string().min(1), direction: z.enum(["up", "down"]) }),
  z.object({ intent: z.literal("enable"), id: z.string().min(1) }),
  z.object({ intent: z.literal("disable"), id: z.string().min(1) }),
  z.object({ intent: z.literal("duplicate"), id: z.string().min(1) }),
  z.object({ intent: z.literal("delete"), id: z.string().min(1) }),
]);

export type RulesCommandResult = { ok: true; message: string } | { ok: false; message: string };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const t = await translatorFor(request);
  const parsed = commandSchema.safeParse(Object.fromEntries(await postedForm(request)));
  if (!parsed.success)
    return data<RulesCommandResult>(
      { ok: false, message: t("rules.commands.unknown") },
      { status: 400 },
    );
  const shop = session.shop;
  const command = parsed.data;
  const notFound = data<RulesCommandResult>(
    { ok: false, message: t("rules.commands.notFound") },
    { status: 404 },
  );
  switch (command.intent) {
    case "move":
      return (await moveRule(db, shop, command.id, command.direction))
        ? ({
            ok: true,
            message: t(
              command.direction === "up" ? "rules.commands.movedUp" : "rules.commands.movedDown",
            ),
          } satisfies RulesCommandResult)
        : notFound;
    case "enable":
    case "disable": {
      const on = command.intent === "enable";
      const changed = await setRuleEnabled(db, shop, command.id, on);
      // Switched on or off, a rule that splits by stock may start or end stock news (ADR 101).
      if (changed) await stockNewsMayChange(jobQueue(), shop);
      return changed
        ? ({
            ok: true,
            message: t(on ? "rules.commands.turnedOn" : "rules.commands.turnedOff"),
          } satisfies RulesCommandResult)
        : notFound;
    }
    case "duplicate": {
      const copy = await duplicateRule(db, shop, command.id, (name) =>
        t("rules.commands.copyOf", { name }),
      );
      return copy
        ? ({
            ok: true,
            message: t("rules.commands.duplicated", { name: copy.name }),
          } satisfies RulesCommandResult)
        : notFound;
    }
    case "delete": {
      const deleted = await deleteRule(db, shop, command.id);
      if (deleted) await stockNewsMayChange(jobQueue(), shop);
      return deleted
        ? ({ ok: true, message: t("rules.commands.deleted") } satisfies RulesCommandResult)
        : notFound;
    }
  }
};

export default function Rules() {
  const { rules } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const fetcher = useFetcher<typeof action>();
  const shopify = useAppBridge();
  const navigate = useNavigate();
  const [toDelete, setToDelete] = useState<{ id: string; name: string } | null>(null);
  // After a move the row changes place; keyboard focus follows the rule it was on.
  const refocus = useRef<{ id: string; direction: "up" | "down"; from: number } | null>(null);

  const busyId = fetcher.state !== "idle" ? String(fetcher.formData?.get("id") ?? "") : null;

  useEffect(() => {
    if (fetcher.state !== "idle" || !fetcher.data) return;
    shopify.toast.show(fetcher.data.message, { isError: !fetcher.data.ok });
  }, [fetcher.state, fetcher.data, shopify]);

  useEffect(() => {
    const target = refocus.current;
    if (!target || fetcher.state !== "idle") return;
    // Wait for the list to show the rule in its new place (or for the move to fail), and for the
    // buttons to be enabled again: the fetcher and the revalidated list may settle in either order.
    const moved = rules.findIndex((rule) => rule.id === target.id) !== target.from;
    const failed = fetcher.data !== undefined && !fetcher.data.ok;
    if (!moved && !failed) return;
    refocus.current = null;
    const same = document.getElementById(`move-${target.direction}-${target.id}`);
    const other = document.getElementById(
      `move-${target.direction === "up" ? "down" : "up"}-${target.id}`,
    );
    // Polaris marks a disabled button with aria-disabled and keeps it focusable: at the top of
    // the list "Move up" does nothing, so focus goes to "Move down".
    (same && same.getAttribute("aria-disabled") !== "true" ? same : other)?.focus();
  }, [rules, fetcher.state, fetcher.data]);

  const submit = (fields: Record<string, string>) => fetcher.submit(fields, { method: "post" });

  return (
    <Page>
      <TitleBar title={t("nav.rules")}>
        <button variant="primary" onClick={() => navigate("/app/rules/new")}>
          {t("rules.list.add")}
        </button>
      </TitleBar>
      <Layout>
        <Layout.Section>
          <Card padding="0">
            <Box padding="400">
              <CardHeading title={t("rules.list.heading")} help={t("rules.list.help")} />
            </Box>
            {rules.length === 0 ? (
              <Box padding="400" borderBlockStartWidth="025" borderColor="border">
                <BlockStack gap="300" inlineAlign="start">
                  <Text as="p">{t("rules.list.empty")}</Text>
                  <Button url="/app/rules/new" variant="primary">
                    {t("rules.list.add")}
                  </Button>
                </BlockStack>
              </Box>
            ) : (
              <ol
                aria-label={t("rules.list.inOrder")}
                style={{ listStyle: "none", margin: 0, padding: 0 }}
              >
                {rules.map((rule, index) => (
                  <RuleRow
                    key={rule.id}
                    rule={rule}
                    index={index}
                    count={rules.length}
                    busy={busyId === rule.id}
                    onMove={(direction) => {
                      refocus.current = { id: rule.id, direction, from: index };
                      submit({ intent: "move", id: rule.id, direction });
                    }}
                    onToggle={() =>
                      submit({ intent: rule.enabled ? "disable" : "enable", id: rule.id })
                    }
                    onDuplicate={() => submit({ intent: "duplicate", id: rule.id })}
                    onDelete={() => setToDelete({ id: rule.id, name: rule.name })}
                  />
                ))}
              </ol>
            )}
          </Card>
        </Layout.Section>
      </Layout>
      <Modal id="delete-rule" open={toDelete !== null} onHide={() => setToDelete(null)}>
        <Box padding="400">
          <Text as="p">{toDelete ? t("rules.delete.question", { name: toDelete.name }) : ""}</Text>
        </Box>
        <TitleBar title={t("rules.delete.title")}>
          <button
            variant="primary"
            tone="critical"
            onClick={() => {
              if (toDelete) submit({ intent: "delete", id: toDelete.id });
              setToDelete(null);
            }}
          >
            {t("rules.delete.confirm")}
          </button>
          <button onClick={() => setToDelete(null)}>{t("common.cancel")}</button>
        </TitleBar>
      </Modal>
    </Page>
  );
}
