-- AlterTable
ALTER TABLE "audit_run" ADD COLUMN     "heartbeatAt" TIMESTAMPTZ(3),
ADD COLUMN     "ownerHost" TEXT,
ADD COLUMN     "ownerId" TEXT,
ADD COLUMN     "ownerPid" INTEGER;

-- CreateIndex
CREATE INDEX "audit_run_status_trigger_idx" ON "audit_run"("status", "trigger");
