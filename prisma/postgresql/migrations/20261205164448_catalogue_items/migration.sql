-- CreateTable
CREATE TABLE "CatalogueItem" (
    "shop" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "productType" TEXT NOT NULL,
    "productTags" TEXT NOT NULL,
    "options" TEXT NOT NULL,
    "readAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CatalogueItem_pkey" PRIMARY KEY ("shop","inventoryItemId")
);

-- CreateIndex
CREATE INDEX "CatalogueItem_shop_productId_idx" ON "CatalogueItem"("shop", "productId");
