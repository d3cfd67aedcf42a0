-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "gateCheckedFrom" TIMESTAMP(3);
