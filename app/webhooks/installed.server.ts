// Whether a shop has the app installed (a Shop row, made at install and by the demo's seed, or an
// offline session; both are erased on uninstall), remembered for a short while
// so the webhook hot path does not ask the database on every delivery of a busy shop.
import type { Db } from "../db/client.server";

/** How long a shop found installed is believed so without asking again. */
const REMEMBER_MS = 30_000;

const installed = new Map<string, number>();

export async function isInstalled(db: Db, shop: string, now = Date.now()): Promise<boolean> {
  const until = installed.get(shop);
  if (until !== undefined && until > now) return true;
  const [row, session] = await Promise.all([
    db.shop.findUnique({ where: { shop }, select: { shop: true } }),
    db.session.findFirst({ where: { shop, isOnline: false }, select: { id: true } }),
  ]);
  if (!row && !session) {
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
