-- CreateTable
CREATE TABLE "ShopWebhookSubscription" (
    "shop" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "subscriptionId" TEXT NOT NULL,
    "uri" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ShopWebhookSubscription_pkey" PRIMARY KEY ("shop","topic")
);
