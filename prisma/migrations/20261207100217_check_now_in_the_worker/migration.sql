-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "checkDrift" INTEGER;
ALTER TABLE "Shop" ADD COLUMN "checkError" TEXT;
ALTER TABLE "Shop" ADD COLUMN "checkFinishedAt" DATETIME;
ALTER TABLE "Shop" ADD COLUMN "checkRepaired" INTEGER;
ALTER TABLE "Shop" ADD COLUMN "checkRequestedAt" DATETIME;
ALTER TABLE "Shop" ADD COLUMN "checkRequestedBy" TEXT;
ALTER TABLE "Shop" ADD COLUMN "checkStatus" TEXT;
ALTER TABLE "Shop" ADD COLUMN "checkStuck" INTEGER;
