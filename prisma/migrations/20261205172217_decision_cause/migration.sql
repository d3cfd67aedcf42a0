-- AlterTable
ALTER TABLE "Decision" ADD COLUMN "cause" TEXT;
