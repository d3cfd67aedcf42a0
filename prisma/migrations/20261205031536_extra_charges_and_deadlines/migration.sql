-- CreateTable
CREATE TABLE "ExtraCharge" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderName" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "amount" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "lines" TEXT NOT NULL DEFAULT '[]',
    "draftOrderId" TEXT,
    "draftOrderName" TEXT,
    "invoiceUrl" TEXT,
    "paidOrderId" TEXT,
    "paidOrderName" TEXT,
    "status" TEXT NOT NULL DEFAULT 'creating',
    "error" TEXT,
    "createdBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "invoiceSentAt" DATETIME,
    "paidAt" DATETIME
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
    "releaseGate" BOOLEAN,
    "reconciledUntil" DATETIME,
    "stuckRequestAfterHours" INTEGER NOT NULL DEFAULT 24,
    "stuckCancellationAfterHours" INTEGER NOT NULL DEFAULT 24,
    "driftRepair" TEXT NOT NULL DEFAULT 'merchant',
    "driftScannedAt" DATETIME,
    "retentionDays" INTEGER NOT NULL DEFAULT 30,
    "remakeReasons" TEXT,
    "pushSecret" TEXT,
    "pushSecretRotatedAt" DATETIME,
    "authorizationWarnHours" INTEGER NOT NULL DEFAULT 48,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Shop" ("autoReleaseAfterMinutes", "capturePolicy", "defaultMode", "digitalDownloads", "driftRepair", "driftScannedAt", "installedAt", "notifyCustomer", "pushSecret", "pushSecretRotatedAt", "reconciledUntil", "releaseGate", "remakeReasons", "retentionDays", "shop", "stuckCancellationAfterHours", "stuckRequestAfterHours", "updatedAt") SELECT "autoReleaseAfterMinutes", "capturePolicy", "defaultMode", "digitalDownloads", "driftRepair", "driftScannedAt", "installedAt", "notifyCustomer", "pushSecret", "pushSecretRotatedAt", "reconciledUntil", "releaseGate", "remakeReasons", "retentionDays", "shop", "stuckCancellationAfterHours", "stuckRequestAfterHours", "updatedAt" FROM "Shop";
DROP TABLE "Shop";
ALTER TABLE "new_Shop" RENAME TO "Shop";
CREATE TABLE "new_FulfillmentOrderRecord" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "fulfillmentOrderId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderName" TEXT NOT NULL,
    "customerName" TEXT,
    "status" TEXT NOT NULL,
    "requestStatus" TEXT,
    "outcome" TEXT NOT NULL,
    "reason" TEXT,
    "holdReason" TEXT,
    "ruleName" TEXT,
    "locationName" TEXT,
    "provider" TEXT,
    "riskLevel" TEXT,
    "skus" TEXT NOT NULL DEFAULT '',
    "tags" TEXT NOT NULL DEFAULT '',
    "orderCreatedAt" DATETIME NOT NULL,
    "authorizationLapsesAt" DATETIME,
    "authorizationEstimated" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_FulfillmentOrderRecord" ("customerName", "fulfillmentOrderId", "holdReason", "id", "locationName", "orderCreatedAt", "orderId", "orderName", "outcome", "provider", "reason", "requestStatus", "riskLevel", "ruleName", "shop", "skus", "status", "tags", "updatedAt") SELECT "customerName", "fulfillmentOrderId", "holdReason", "id", "locationName", "orderCreatedAt", "orderId", "orderName", "outcome", "provider", "reason", "requestStatus", "riskLevel", "ruleName", "shop", "skus", "status", "tags", "updatedAt" FROM "FulfillmentOrderRecord";
DROP TABLE "FulfillmentOrderRecord";
ALTER TABLE "new_FulfillmentOrderRecord" RENAME TO "FulfillmentOrderRecord";
CREATE INDEX "FulfillmentOrderRecord_shop_authorizationLapsesAt_idx" ON "FulfillmentOrderRecord"("shop", "authorizationLapsesAt");
CREATE INDEX "FulfillmentOrderRecord_shop_outcome_orderCreatedAt_idx" ON "FulfillmentOrderRecord"("shop", "outcome", "orderCreatedAt");
CREATE INDEX "FulfillmentOrderRecord_shop_orderCreatedAt_idx" ON "FulfillmentOrderRecord"("shop", "orderCreatedAt");
CREATE INDEX "FulfillmentOrderRecord_shop_updatedAt_idx" ON "FulfillmentOrderRecord"("shop", "updatedAt");
CREATE INDEX "FulfillmentOrderRecord_shop_orderId_idx" ON "FulfillmentOrderRecord"("shop", "orderId");
CREATE INDEX "FulfillmentOrderRecord_shop_orderName_idx" ON "FulfillmentOrderRecord"("shop", "orderName");
CREATE INDEX "FulfillmentOrderRecord_shop_ruleName_idx" ON "FulfillmentOrderRecord"("shop", "ruleName");
CREATE INDEX "FulfillmentOrderRecord_shop_locationName_idx" ON "FulfillmentOrderRecord"("shop", "locationName");
CREATE INDEX "FulfillmentOrderRecord_shop_provider_idx" ON "FulfillmentOrderRecord"("shop", "provider");
CREATE UNIQUE INDEX "FulfillmentOrderRecord_shop_fulfillmentOrderId_key" ON "FulfillmentOrderRecord"("shop", "fulfillmentOrderId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "ExtraCharge_shop_orderId_idx" ON "ExtraCharge"("shop", "orderId");

-- CreateIndex
CREATE INDEX "ExtraCharge_shop_draftOrderId_idx" ON "ExtraCharge"("shop", "draftOrderId");

-- CreateIndex
CREATE INDEX "ExtraCharge_shop_paidOrderId_idx" ON "ExtraCharge"("shop", "paidOrderId");
