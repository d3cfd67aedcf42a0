// The review queue's URL search params: which carry a saved view, and their canonical order.
import { DEFAULT_SORT } from "../routing/vocabulary";

/** Params a saved view keeps: everything that filters or sorts, never the page. */
export const VIEW_PARAMS = [
  "q",
  "status",
  "reason",
  "rule",
  "location",
  "risk",
  "age",
  "tag",
  "completed",
  "cancelled",
  "lapsesWithin",
  "sort",
] as const;

/** The filter and sort part of a search string in one canonical order, so equal views compare equal. */
export function canonicalViewQuery(search: string | URLSearchParams): string {
  const params = typeof search === "string" ? new URLSearchParams(search) : search;
  const out = new URLSearchParams();
  for (const name of VIEW_PARAMS) {
    const values = params
      .getAll(name)
      .map((v) => v.trim())
      .filter(Boolean)
      .sort();
    if (name === "sort" && values[0] === DEFAULT_SORT) continue;
    for (const value of values) out.append(name, value);
  }
  return out.toString();
}
