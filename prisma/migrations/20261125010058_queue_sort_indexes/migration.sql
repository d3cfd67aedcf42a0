-- CreateIndex
CREATE INDEX "FulfillmentOrderRecord_shop_orderCreatedAt_idx" ON "FulfillmentOrderRecord"("shop", "orderCreatedAt");

-- CreateIndex
CREATE INDEX "FulfillmentOrderRecord_shop_updatedAt_idx" ON "FulfillmentOrderRecord"("shop", "updatedAt");
