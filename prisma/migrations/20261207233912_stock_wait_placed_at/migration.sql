-- AlterTable
ALTER TABLE "StockWait" ADD COLUMN "placedAt" DATETIME;
