-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "flowTriggersBeforeLifecycle" BOOLEAN NOT NULL DEFAULT false;

-- A shop the app already has may have enabled a Flow workflow before the app had Flow's trigger
-- lifecycle callback, unheard: its triggers are sent until Flow calls back (docs/decisions/025).
UPDATE "Shop" SET "flowTriggersBeforeLifecycle" = true;
