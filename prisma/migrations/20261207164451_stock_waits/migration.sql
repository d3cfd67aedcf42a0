-- CreateTable
CREATE TABLE "StockWait" (
    "shop" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "fulfillmentOrderId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("shop", "fulfillmentOrderId", "inventoryItemId")
);

-- CreateIndex
CREATE INDEX "StockWait_shop_inventoryItemId_locationId_idx" ON "StockWait"("shop", "inventoryItemId", "locationId");

-- CreateIndex
CREATE INDEX "StockWait_shop_orderId_idx" ON "StockWait"("shop", "orderId");
