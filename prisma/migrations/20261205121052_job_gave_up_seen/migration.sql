-- AlterTable
ALTER TABLE "Job" ADD COLUMN "gaveUpSeenAt" DATETIME;
