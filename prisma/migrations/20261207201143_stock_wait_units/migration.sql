-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_StockWait" (
    "shop" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "fulfillmentOrderId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "units" INTEGER NOT NULL DEFAULT 1,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("shop", "fulfillmentOrderId", "inventoryItemId")
);
INSERT INTO "new_StockWait" ("createdAt", "fulfillmentOrderId", "inventoryItemId", "locationId", "orderId", "shop") SELECT "createdAt", "fulfillmentOrderId", "inventoryItemId", "locationId", "orderId", "shop" FROM "StockWait";
DROP TABLE "StockWait";
ALTER TABLE "new_StockWait" RENAME TO "StockWait";
CREATE INDEX "StockWait_shop_inventoryItemId_locationId_idx" ON "StockWait"("shop", "inventoryItemId", "locationId");
CREATE INDEX "StockWait_shop_orderId_idx" ON "StockWait"("shop", "orderId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
