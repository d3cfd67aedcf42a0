-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "gateCheckedFrom" DATETIME;
