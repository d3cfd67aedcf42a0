-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Job" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "queue" TEXT NOT NULL,
    "shop" TEXT,
    "key" TEXT,
    "payload" TEXT NOT NULL,
    "runAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "orderAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 10,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "leasedBy" TEXT,
    "leaseUntil" DATETIME,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" DATETIME,
    "gaveUpSeenAt" DATETIME
);
INSERT INTO "new_Job" ("attempts", "createdAt", "finishedAt", "gaveUpSeenAt", "id", "key", "lastError", "leaseUntil", "leasedBy", "maxAttempts", "payload", "queue", "runAt", "shop", "status") SELECT "attempts", "createdAt", "finishedAt", "gaveUpSeenAt", "id", "key", "lastError", "leaseUntil", "leasedBy", "maxAttempts", "payload", "queue", "runAt", "shop", "status" FROM "Job";
DROP TABLE "Job";
ALTER TABLE "new_Job" RENAME TO "Job";
CREATE UNIQUE INDEX "Job_key_key" ON "Job"("key");
CREATE INDEX "Job_queue_status_orderAt_runAt_idx" ON "Job"("queue", "status", "orderAt", "runAt");
CREATE INDEX "Job_shop_status_runAt_idx" ON "Job"("shop", "status", "runAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
