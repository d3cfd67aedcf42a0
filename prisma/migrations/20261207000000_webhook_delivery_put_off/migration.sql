-- The deliveries the inbox put off while they wait for their order's route job (status 'waiting',
-- processedAt when put off), by when they were put off: an inbox pass reads through it only those
-- due to be looked at again, and through the index of received deliveries only those not put off,
-- instead of walking every waiting delivery of a backlog each pass (docs/decisions/065). Partial,
-- so it holds the put-off deliveries alone and a delivery that is never put off never writes it;
-- Prisma's schema has no word for a partial index, so it is kept here (a comment at the model says
-- where). It names no column a claim changes ("retryAt"), so a claim stays a HOT update (ADR 057).
-- Undo: DROP INDEX "WebhookDelivery_waiting_processedAt_idx";
CREATE INDEX "WebhookDelivery_waiting_processedAt_idx" ON "WebhookDelivery"("processedAt") WHERE "status" = 'waiting';
