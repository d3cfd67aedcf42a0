// The review queue's saved views: a named, canonical set of filters per shop.
import { z } from "zod";
import type { Db } from "../db/client.server";
import { fieldErrorMessage as say, fieldErrorWords } from "../routing/schema";
import { words } from "../routing/words";
import type { Parsed } from "./field-errors";
import { parseQueueFilters } from "./queue-filters.server";
import { canonicalViewQuery } from "./queue-params";

export interface SavedViewSummary {
  id: string;
  name: string;
  query: string;
}

export async function listSavedViews(db: Db, shop: string): Promise<SavedViewSummary[]> {
  return db.savedView.findMany({
    where: { shop },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, query: true },
  });
}

const viewNameSchema = z
  .string()
  .trim()
  .min(1, say("viewName"))
  .max(40, say("maxLength", { max: 40 }));

/** Saves the current filters under a name; saving an existing name replaces what it shows. */
export async function saveView(
  db: Db,
  shop: string,
  input: { name: unknown; query: unknown },
): Promise<Parsed<SavedViewSummary>> {
  const name = viewNameSchema.safeParse(input.name);
  if (!name.success)
    return { ok: false, errors: { name: fieldErrorWords(name.error.issues[0]?.message ?? "") } };
  if (name.data.toLowerCase() === "all")
    return {
      ok: false,
      errors: { name: words("fieldErrors.viewNameAll") },
    };
  const query = canonicalViewQuery(typeof input.query === "string" ? input.query : "");
  const parsed = parseQueueFilters(new URLSearchParams(query));
  if (!parsed.ok) return { ok: false, errors: parsed.errors };
  const view = await db.savedView.upsert({
    where: { shop_name: { shop, name: name.data } },
    create: { shop, name: name.data, query },
    update: { query },
    select: { id: true, name: true, query: true },
  });
  return { ok: true, value: view };
}

export async function renameView(
  db: Db,
  shop: string,
  id: string,
  name: unknown,
): Promise<Parsed<SavedViewSummary>> {
  const parsed = viewNameSchema.safeParse(name);
  if (!parsed.success)
    return { ok: false, errors: { name: fieldErrorWords(parsed.error.issues[0]?.message ?? "") } };
  const clash = await db.savedView.findUnique({
    where: { shop_name: { shop, name: parsed.data } },
  });
  if (clash && clash.id !== id)
    return { ok: false, errors: { name: words("fieldErrors.viewNameTaken") } };
  const updated = await db.savedView.updateMany({
    where: { id, shop },
    data: { name: parsed.data },
  });
  if (updated.count === 0) return { ok: false, errors: { view: words("fieldErrors.viewGone") } };
  return {
    ok: true,
    value: await db.savedView.findUniqueOrThrow({
      where: { id },
      select: { id: true, name: true, query: true },
    }),
  };
}

export async function deleteView(db: Db, shop: string, id: string): Promise<boolean> {
  // Scoped by shop: a view id from another shop deletes nothing.
  const deleted = await db.savedView.deleteMany({ where: { id, shop } });
  return deleted.count > 0;
}
