-- CreateTable
CREATE TABLE "Approval" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "fulfillmentOrderId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "approvedBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "Approval_shop_orderId_idx" ON "Approval"("shop", "orderId");

-- CreateIndex
CREATE UNIQUE INDEX "Approval_shop_fulfillmentOrderId_key" ON "Approval"("shop", "fulfillmentOrderId");
