-- CreateTable
CREATE TABLE "ShopWebhookSubscription" (
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "subscriptionId" TEXT NOT NULL,
    "uri" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("shop", "topic")
);
