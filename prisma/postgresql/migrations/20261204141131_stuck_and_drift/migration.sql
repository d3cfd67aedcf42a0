-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "driftRepair" TEXT NOT NULL DEFAULT 'merchant',
ADD COLUMN     "driftScannedAt" TIMESTAMP(3),
ADD COLUMN     "stuckCancellationAfterHours" INTEGER NOT NULL DEFAULT 24,
ADD COLUMN     "stuckRequestAfterHours" INTEGER NOT NULL DEFAULT 24;

-- CreateTable
CREATE TABLE "LabReport" (
    "id" TEXT NOT NULL,
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
    "recordedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LabReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Finding" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderName" TEXT NOT NULL,
    "fulfillmentOrderId" TEXT NOT NULL,
    "labName" TEXT,
    "since" TIMESTAMP(3) NOT NULL,
    "summary" TEXT NOT NULL,
    "evidence" TEXT NOT NULL,
    "repair" TEXT,
    "advice" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "repairState" TEXT,
    "decisionId" TEXT,
    "message" TEXT,
    "detectedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),

    CONSTRAINT "Finding_pkey" PRIMARY KEY ("id")
);

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
