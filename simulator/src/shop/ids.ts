// Shopify global ids (gid://shopify/<Type>/<n>) made and read exactly as Shopify spells them.

export function gid(type: string, id: number | string): string {
  return `gid://shopify/${type}/${id}`;
}

/** Reads a GID; undefined when the string is not one (the caller answers "not found" as Shopify does). */
export function parseGid(value: unknown): { type: string; id: number } | undefined {
  if (typeof value !== "string") return undefined;
  const m = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(\?.*)?$/.exec(value);
  if (!m) return undefined;
  return { type: m[1]!, id: Number(m[2]) };
}

/** The numeric id of a GID of the expected type, or undefined. */
export function idOf(value: unknown, type: string): number | undefined {
  const p = parseGid(value);
  return p && p.type === type ? p.id : undefined;
}
