-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "checkDrift" INTEGER,
ADD COLUMN     "checkError" TEXT,
ADD COLUMN     "checkFinishedAt" TIMESTAMP(3),
ADD COLUMN     "checkRepaired" INTEGER,
ADD COLUMN     "checkRequestedAt" TIMESTAMP(3),
ADD COLUMN     "checkRequestedBy" TEXT,
ADD COLUMN     "checkStatus" TEXT,
ADD COLUMN     "checkStuck" INTEGER;
