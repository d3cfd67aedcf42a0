-- DropIndex
DROP INDEX "Job_queue_status_runAt_idx";

-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "orderAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "Job_queue_status_orderAt_runAt_idx" ON "Job"("queue", "status", "orderAt", "runAt");
