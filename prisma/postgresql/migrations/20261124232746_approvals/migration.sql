-- CreateTable
CREATE TABLE "Approval" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "fulfillmentOrderId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "approvedBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Approval_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Approval_shop_orderId_idx" ON "Approval"("shop", "orderId");

-- CreateIndex
CREATE UNIQUE INDEX "Approval_shop_fulfillmentOrderId_key" ON "Approval"("shop", "fulfillmentOrderId");
