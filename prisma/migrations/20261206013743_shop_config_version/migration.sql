-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Shop" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "installedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "defaultMode" TEXT NOT NULL DEFAULT 'manual',
    "capturePolicy" TEXT NOT NULL DEFAULT 'on_fulfilment',
    "notifyCustomer" BOOLEAN NOT NULL DEFAULT true,
    "autoReleaseAfterMinutes" INTEGER,
    "digitalDownloads" TEXT NOT NULL DEFAULT 'automatic',
    "releaseGate" BOOLEAN,
    "reconciledUntil" DATETIME,
    "reconcileCursor" TEXT,
    "stuckRequestAfterHours" INTEGER NOT NULL DEFAULT 24,
    "stuckCancellationAfterHours" INTEGER NOT NULL DEFAULT 24,
    "driftRepair" TEXT NOT NULL DEFAULT 'merchant',
    "driftScannedAt" DATETIME,
    "driftCursor" TEXT,
    "retentionDays" INTEGER NOT NULL DEFAULT 30,
    "remakeReasons" TEXT,
    "pushSecret" TEXT,
    "pushSecretRotatedAt" DATETIME,
    "authorizationWarnHours" INTEGER NOT NULL DEFAULT 48,
    "flowTriggersBeforeLifecycle" BOOLEAN NOT NULL DEFAULT false,
    "configVersion" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Shop" ("authorizationWarnHours", "autoReleaseAfterMinutes", "capturePolicy", "defaultMode", "digitalDownloads", "driftCursor", "driftRepair", "driftScannedAt", "flowTriggersBeforeLifecycle", "installedAt", "notifyCustomer", "pushSecret", "pushSecretRotatedAt", "reconcileCursor", "reconciledUntil", "releaseGate", "remakeReasons", "retentionDays", "shop", "stuckCancellationAfterHours", "stuckRequestAfterHours", "updatedAt") SELECT "authorizationWarnHours", "autoReleaseAfterMinutes", "capturePolicy", "defaultMode", "digitalDownloads", "driftCursor", "driftRepair", "driftScannedAt", "flowTriggersBeforeLifecycle", "installedAt", "notifyCustomer", "pushSecret", "pushSecretRotatedAt", "reconcileCursor", "reconciledUntil", "releaseGate", "remakeReasons", "retentionDays", "shop", "stuckCancellationAfterHours", "stuckRequestAfterHours", "updatedAt" FROM "Shop";
DROP TABLE "Shop";
ALTER TABLE "new_Shop" RENAME TO "Shop";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
