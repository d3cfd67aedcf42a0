-- CreateTable
CREATE TABLE "LabReport" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "fulfillmentOrderId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderName" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "lines" TEXT NOT NULL DEFAULT '[]',
    "tracking" TEXT,
    "source" TEXT NOT NULL,
    "labName" TEXT NOT NULL,
    "locationId" TEXT,
    "recordedBy" TEXT,
    "recordedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Finding" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderName" TEXT NOT NULL,
    "fulfillmentOrderId" TEXT NOT NULL,
    "labName" TEXT,
    "since" DATETIME NOT NULL,
    "summary" TEXT NOT NULL,
    "evidence" TEXT NOT NULL,
    "repair" TEXT,
    "advice" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "repairState" TEXT,
    "decisionId" TEXT,
    "message" TEXT,
    "detectedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" DATETIME
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Shop" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "installedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "defaultMode" TEXT NOT NULL DEFAULT 'manual',
    "capturePolicy" TEXT NOT NULL DEFAULT 'on_fulfilment',
    "notifyCustomer" BOOLEAN NOT NULL DEFAULT true,
    "autoReleaseAfterMinutes" INTEGER,
    "digitalDownloads" TEXT NOT NULL DEFAULT 'automatic',
    "reconciledUntil" DATETIME,
    "stuckRequestAfterHours" INTEGER NOT NULL DEFAULT 24,
    "stuckCancellationAfterHours" INTEGER NOT NULL DEFAULT 24,
    "driftRepair" TEXT NOT NULL DEFAULT 'merchant',
    "driftScannedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Shop" ("autoReleaseAfterMinutes", "capturePolicy", "defaultMode", "digitalDownloads", "installedAt", "notifyCustomer", "reconciledUntil", "shop", "updatedAt") SELECT "autoReleaseAfterMinutes", "capturePolicy", "defaultMode", "digitalDownloads", "installedAt", "notifyCustomer", "reconciledUntil", "shop", "updatedAt" FROM "Shop";
DROP TABLE "Shop";
ALTER TABLE "new_Shop" RENAME TO "Shop";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "LabReport_shop_status_idx" ON "LabReport"("shop", "status");

-- CreateIndex
CREATE UNIQUE INDEX "LabReport_shop_fulfillmentOrderId_key" ON "LabReport"("shop", "fulfillmentOrderId");

-- CreateIndex
CREATE INDEX "Finding_shop_category_status_idx" ON "Finding"("shop", "category", "status");

-- CreateIndex
CREATE INDEX "Finding_shop_orderId_idx" ON "Finding"("shop", "orderId");

-- CreateIndex
CREATE UNIQUE INDEX "Finding_shop_key_key" ON "Finding"("shop", "key");
