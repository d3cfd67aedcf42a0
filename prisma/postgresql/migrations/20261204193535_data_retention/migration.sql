-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "retentionDays" INTEGER NOT NULL DEFAULT 30;
