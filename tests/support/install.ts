// Installs a shop the way token exchange leaves it: an offline session with an access token.
import type { Db } from "~/db/client.server";

export async function installShop(db: Db, shop: string, accessToken = "test-token"): Promise<void> {
  await db.session.upsert({
    where: { id: `offline_${shop}` },
    create: { id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken },
    update: { accessToken },
  });
}
