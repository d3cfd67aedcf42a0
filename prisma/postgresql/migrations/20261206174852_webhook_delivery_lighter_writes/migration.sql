-- DropIndex
DROP INDEX "WebhookDelivery_subjectId_idx";

-- Room in each page for its rows' next versions (PostgreSQL only: Prisma's schema has no word
-- for it, so it is kept here). A delivery is claimed soon after it is stored, and put off when it
-- waits for its order's route job: both change only "retryAt", which no index holds, so with
-- room on the page PostgreSQL writes the new version beside the old one and no index entry (a
-- HOT update). With every page filled by the inserts, each of them wrote all the table's index
-- entries again (docs/decisions/057). Pages written from now on keep the room, existing ones fill
-- as they are pruned and vacuumed. Undo: ALTER TABLE "WebhookDelivery" RESET (fillfactor).
ALTER TABLE "WebhookDelivery" SET (fillfactor = 50);
