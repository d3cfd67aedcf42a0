-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "driftCursor" TEXT,
ADD COLUMN     "reconcileCursor" TEXT;

-- AlterTable
ALTER TABLE "Finding" ADD COLUMN     "scanId" TEXT;
