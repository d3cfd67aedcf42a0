-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "remakeReasons" TEXT;

-- CreateTable
CREATE TABLE "Remake" (
    "id" TEXT NOT NULL PRIMARY KEY,
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "Remake_shop_orderId_idx" ON "Remake"("shop", "orderId");

-- CreateIndex
CREATE INDEX "Remake_shop_replacementOrderId_idx" ON "Remake"("shop", "replacementOrderId");

-- CreateIndex
CREATE INDEX "Remake_shop_createdAt_idx" ON "Remake"("shop", "createdAt");
