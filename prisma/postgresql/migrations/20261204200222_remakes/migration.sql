-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "remakeReasons" TEXT;

-- CreateTable
CREATE TABLE "Remake" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderName" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "lines" TEXT NOT NULL,
    "unitPrice" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "draftOrderId" TEXT,
    "replacementOrderId" TEXT,
    "replacementName" TEXT,
    "status" TEXT NOT NULL DEFAULT 'creating',
    "error" TEXT,
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Remake_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Remake_shop_orderId_idx" ON "Remake"("shop", "orderId");

-- CreateIndex
CREATE INDEX "Remake_shop_replacementOrderId_idx" ON "Remake"("shop", "replacementOrderId");

-- CreateIndex
CREATE INDEX "Remake_shop_createdAt_idx" ON "Remake"("shop", "createdAt");
