-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_WebhookDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "webhookId" TEXT NOT NULL,
    "eventId" TEXT,
    "topic" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "apiVersion" TEXT,
    "triggeredAt" DATETIME,
    "subjectId" TEXT,
    "payload" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" TEXT NOT NULL DEFAULT 'received',
    "processedAt" DATETIME,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "retryAt" DATETIME
);
INSERT INTO "new_WebhookDelivery" ("apiVersion", "error", "eventId", "id", "payload", "processedAt", "receivedAt", "shop", "status", "subjectId", "topic", "triggeredAt", "webhookId") SELECT "apiVersion", "error", "eventId", "id", "payload", "processedAt", "receivedAt", "shop", "status", "subjectId", "topic", "triggeredAt", "webhookId" FROM "WebhookDelivery";
DROP TABLE "WebhookDelivery";
ALTER TABLE "new_WebhookDelivery" RENAME TO "WebhookDelivery";
CREATE UNIQUE INDEX "WebhookDelivery_webhookId_key" ON "WebhookDelivery"("webhookId");
CREATE INDEX "WebhookDelivery_shop_topic_idx" ON "WebhookDelivery"("shop", "topic");
CREATE INDEX "WebhookDelivery_status_receivedAt_idx" ON "WebhookDelivery"("status", "receivedAt");
CREATE INDEX "WebhookDelivery_subjectId_idx" ON "WebhookDelivery"("subjectId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
