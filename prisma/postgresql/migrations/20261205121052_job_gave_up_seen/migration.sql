-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "gaveUpSeenAt" TIMESTAMP(3);
