-- DropIndex
DROP INDEX "WebhookDelivery_shop_topic_idx";

-- DropIndex
DROP INDEX "Job_shop_idx";

-- CreateIndex
CREATE INDEX "WebhookDelivery_shop_topic_subjectId_idx" ON "WebhookDelivery"("shop", "topic", "subjectId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_shop_status_receivedAt_idx" ON "WebhookDelivery"("shop", "status", "receivedAt");

-- CreateIndex
CREATE INDEX "Job_shop_status_runAt_idx" ON "Job"("shop", "status", "runAt");
