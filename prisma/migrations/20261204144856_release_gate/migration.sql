-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "releaseGate" BOOLEAN;
