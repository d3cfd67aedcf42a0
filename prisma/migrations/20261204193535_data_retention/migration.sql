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
    "stuckRequestAfterHours" INTEGER NOT NULL DEFAULT 24,
    "stuckCancellationAfterHours" INTEGER NOT NULL DEFAULT 24,
    "driftRepair" TEXT NOT NULL DEFAULT 'merchant',
    "driftScannedAt" DATETIME,
    "retentionDays" INTEGER NOT NULL DEFAULT 30,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Shop" ("autoReleaseAfterMinutes", "capturePolicy", "defaultMode", "digitalDownloads", "driftRepair", "driftScannedAt", "installedAt", "notifyCustomer", "reconciledUntil", "releaseGate", "shop", "stuckCancellationAfterHours", "stuckRequestAfterHours", "updatedAt") SELECT "autoReleaseAfterMinutes", "capturePolicy", "defaultMode", "digitalDownloads", "driftRepair", "driftScannedAt", "installedAt", "notifyCustomer", "reconciledUntil", "releaseGate", "shop", "stuckCancellationAfterHours", "stuckRequestAfterHours", "updatedAt" FROM "Shop";
DROP TABLE "Shop";
ALTER TABLE "new_Shop" RENAME TO "Shop";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
