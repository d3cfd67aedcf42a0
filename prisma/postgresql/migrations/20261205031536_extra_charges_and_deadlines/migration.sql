-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "authorizationWarnHours" INTEGER NOT NULL DEFAULT 48;

-- AlterTable
ALTER TABLE "FulfillmentOrderRecord" ADD COLUMN     "authorizationEstimated" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "authorizationLapsesAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "ExtraCharge" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "invoiceSentAt" TIMESTAMP(3),
    "paidAt" TIMESTAMP(3),

    CONSTRAINT "ExtraCharge_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ExtraCharge_shop_orderId_idx" ON "ExtraCharge"("shop", "orderId");

-- CreateIndex
CREATE INDEX "ExtraCharge_shop_draftOrderId_idx" ON "ExtraCharge"("shop", "draftOrderId");

-- CreateIndex
CREATE INDEX "ExtraCharge_shop_paidOrderId_idx" ON "ExtraCharge"("shop", "paidOrderId");

-- CreateIndex
CREATE INDEX "FulfillmentOrderRecord_shop_authorizationLapsesAt_idx" ON "FulfillmentOrderRecord"("shop", "authorizationLapsesAt");
