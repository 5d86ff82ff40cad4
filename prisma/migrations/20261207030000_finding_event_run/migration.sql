-- CreateIndex
CREATE INDEX "finding_event_runId_idx" ON "finding_event"("runId");
