-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "pushSecret" TEXT;
ALTER TABLE "Shop" ADD COLUMN "pushSecretRotatedAt" DATETIME;

-- CreateTable
CREATE TABLE "PushEndpoint" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "events" TEXT NOT NULL DEFAULT 'all',
    "decisionsSeenUntil" DATETIME NOT NULL,
    "eventsSeenUntil" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "PushDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "endpointId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "eventKey" TEXT NOT NULL,
    "orderId" TEXT,
    "orderName" TEXT,
    "body" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastStatus" INTEGER,
    "lastError" TEXT,
    "lastAttemptAt" DATETIME,
    "deliveredAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "PushEndpoint_shop_idx" ON "PushEndpoint"("shop");

-- CreateIndex
CREATE INDEX "PushDelivery_shop_createdAt_idx" ON "PushDelivery"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "PushDelivery_shop_orderId_idx" ON "PushDelivery"("shop", "orderId");

-- CreateIndex
CREATE UNIQUE INDEX "PushDelivery_endpointId_eventKey_key" ON "PushDelivery"("endpointId", "eventKey");
