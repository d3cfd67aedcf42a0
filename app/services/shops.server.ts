// A shop's lifecycle in our database: created on install, erased on uninstall or shop/redact.
import type { Db } from "../db/client.server";

export async function ensureShop(db: Db, shop: string): Promise<void> {
  await db.shop.upsert({ where: { shop }, create: { shop }, update: {} });
}
