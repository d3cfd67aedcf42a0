// Whether a shop has the app installed (a Shop row, made at install and by the demo's seed, or an
// offline session; both are erased on uninstall), remembered for a short while
// so the webhook hot path does not ask the database on every delivery of a busy shop; the worker
// asks again, without the memory, before it does anything with what was stored (ADR 045).
import type { Db } from "../db/client.server";
import { installedAmong } from "../fulfilment/installed.server";

/** How long a shop found installed is believed so without asking again. */
const REMEMBER_MS = 30_000;

const installed = new Map<string, number>();

export async function isInstalled(db: Db, shop: string, now = Date.now()): Promise<boolean> {
  const until = installed.get(shop);
  if (until !== undefined && until > now) return true;
  // One statement, where two reads (the Shop row, an offline session) were.
  if (!(await installedAmong(db, [shop])).has(shop)) {
    installed.delete(shop);
    return false;
  }
  // Bounded: a flood of signed deliveries for many shops cannot grow the map without end.
  if (installed.size >= 10_000) installed.clear();
  installed.set(shop, now + REMEMBER_MS);
  return true;
}

/** Forgets what is remembered about a shop (on uninstall), or about every shop. */
export function forgetInstalled(shop?: string): void {
  if (shop) installed.delete(shop);
  else installed.clear();
}
