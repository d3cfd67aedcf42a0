-- DropIndex
DROP INDEX "Step_key_key";

-- DropIndex
DROP INDEX "Step_decisionId_position_idx";

-- CreateIndex
CREATE UNIQUE INDEX "Step_decisionId_key_key" ON "Step"("decisionId", "key");
