-- CreateIndex
CREATE INDEX "WebhookDelivery_shop_status_processedAt_idx" ON "WebhookDelivery"("shop", "status", "processedAt");

-- CreateIndex
CREATE INDEX "Decision_shop_appliedAt_idx" ON "Decision"("shop", "appliedAt");
