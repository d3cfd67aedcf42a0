-- CreateTable
CREATE TABLE "ShopBucket" (
    "shop" TEXT NOT NULL,
    "available" DOUBLE PRECISION NOT NULL,
    "maximum" DOUBLE PRECISION NOT NULL,
    "restoreRate" DOUBLE PRECISION NOT NULL,
    "atMs" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "ShopBucket_pkey" PRIMARY KEY ("shop")
);
