-- CreateTable
CREATE TABLE "FulfillmentOrderRecord" (
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
    "ruleName" TEXT,
    "locationName" TEXT,
    "provider" TEXT,
    "riskLevel" TEXT,
    "skus" TEXT NOT NULL DEFAULT '',
    "tags" TEXT NOT NULL DEFAULT '',
    "orderCreatedAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "BulkJob" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "options" TEXT NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'running',
    "total" INTEGER NOT NULL,
    "succeeded" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "createdBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "BulkJobItem" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "bulkJobId" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "error" TEXT,
    "finishedAt" DATETIME,
    CONSTRAINT "BulkJobItem_bulkJobId_fkey" FOREIGN KEY ("bulkJobId") REFERENCES "BulkJob" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SavedView" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "RecentlyViewedOrder" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderName" TEXT NOT NULL,
    "viewedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "FulfillmentOrderRecord_shop_outcome_orderCreatedAt_idx" ON "FulfillmentOrderRecord"("shop", "outcome", "orderCreatedAt");

-- CreateIndex
CREATE INDEX "FulfillmentOrderRecord_shop_orderId_idx" ON "FulfillmentOrderRecord"("shop", "orderId");

-- CreateIndex
CREATE INDEX "FulfillmentOrderRecord_shop_orderName_idx" ON "FulfillmentOrderRecord"("shop", "orderName");

-- CreateIndex
CREATE UNIQUE INDEX "FulfillmentOrderRecord_shop_fulfillmentOrderId_key" ON "FulfillmentOrderRecord"("shop", "fulfillmentOrderId");

-- CreateIndex
CREATE INDEX "BulkJob_shop_createdAt_idx" ON "BulkJob"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "BulkJobItem_bulkJobId_status_idx" ON "BulkJobItem"("bulkJobId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "SavedView_shop_name_key" ON "SavedView"("shop", "name");

-- CreateIndex
CREATE INDEX "RecentlyViewedOrder_shop_viewedAt_idx" ON "RecentlyViewedOrder"("shop", "viewedAt");

-- CreateIndex
CREATE UNIQUE INDEX "RecentlyViewedOrder_shop_orderId_key" ON "RecentlyViewedOrder"("shop", "orderId");
