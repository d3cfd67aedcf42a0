-- CreateTable
CREATE TABLE "FulfillmentOrderNote" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "fulfillmentOrderId" TEXT NOT NULL,
    "author" TEXT,
    "body" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "FulfillmentOrderNote_shop_fulfillmentOrderId_idx" ON "FulfillmentOrderNote"("shop", "fulfillmentOrderId");

-- CreateIndex
CREATE INDEX "FulfillmentOrderNote_shop_orderId_idx" ON "FulfillmentOrderNote"("shop", "orderId");
