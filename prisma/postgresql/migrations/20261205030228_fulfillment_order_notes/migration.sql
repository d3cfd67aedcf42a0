-- CreateTable
CREATE TABLE "FulfillmentOrderNote" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "fulfillmentOrderId" TEXT NOT NULL,
    "author" TEXT,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FulfillmentOrderNote_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FulfillmentOrderNote_shop_fulfillmentOrderId_idx" ON "FulfillmentOrderNote"("shop", "fulfillmentOrderId");

-- CreateIndex
CREATE INDEX "FulfillmentOrderNote_shop_orderId_idx" ON "FulfillmentOrderNote"("shop", "orderId");
