-- The data-quality score a successful full audit stores (src/engine/quality.ts): per run, market (NULL: records of
-- no market) and entity type, the records and the clean ones. Runs before this migration have none.

-- CreateTable
CREATE TABLE "quality_score" (
    "id" SERIAL NOT NULL,
    "runId" UUID NOT NULL,
    "marketCode" TEXT,
    "entityType" TEXT NOT NULL,
    "records" INTEGER NOT NULL,
    "clean" INTEGER NOT NULL,

    CONSTRAINT "quality_score_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "quality_score_runId_idx" ON "quality_score"("runId");

-- AddForeignKey
ALTER TABLE "quality_score" ADD CONSTRAINT "quality_score_runId_fkey" FOREIGN KEY ("runId") REFERENCES "audit_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;
