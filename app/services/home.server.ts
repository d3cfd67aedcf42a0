// What the home page tells a merchant at a glance: today's decisions and what needs them now.
import type { Db } from "../db/client.server";

export interface HomeSummary {
  shop: string;
  defaultMode: "manual" | "automatic";
  enabledRules: number;
  decisionsToday: number;
  needsAttention: number;
}

export async function loadHomeSummary(db: Db, shop: string, now: Date): Promise<HomeSummary> {
  const startOfDay = new Date(now);
  startOfDay.setUTCHours(0, 0, 0, 0);
  const [settings, enabledRules, decisionsToday, needsAttention] = await Promise.all([
    db.shop.findUnique({ where: { shop } }),
    db.rule.count({ where: { shop, enabled: true } }),
    db.decision.count({ where: { shop, createdAt: { gte: startOfDay } } }),
    db.decision.count({ where: { shop, status: "needs_attention" } }),
  ]);
  return {
    shop,
    defaultMode: settings?.defaultMode === "automatic" ? "automatic" : "manual",
    enabledRules,
    decisionsToday,
    needsAttention,
  };
}
