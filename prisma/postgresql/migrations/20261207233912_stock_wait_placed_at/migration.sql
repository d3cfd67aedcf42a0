-- AlterTable
ALTER TABLE "StockWait" ADD COLUMN     "placedAt" TIMESTAMP(3);
