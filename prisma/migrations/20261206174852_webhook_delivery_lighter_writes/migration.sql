-- DropIndex
DROP INDEX "WebhookDelivery_subjectId_idx";
