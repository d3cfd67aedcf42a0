-- CreateIndex
CREATE INDEX "FulfillmentOrderRecord_shop_ruleName_idx" ON "FulfillmentOrderRecord"("shop", "ruleName");

-- CreateIndex
CREATE INDEX "FulfillmentOrderRecord_shop_locationName_idx" ON "FulfillmentOrderRecord"("shop", "locationName");

-- CreateIndex
CREATE INDEX "FulfillmentOrderRecord_shop_provider_idx" ON "FulfillmentOrderRecord"("shop", "provider");
