-- DropIndex
DROP INDEX "incident_kind_externalRef_key";

-- AlterTable
ALTER TABLE "incident" ADD COLUMN     "ownerScope" TEXT NOT NULL DEFAULT '*';

-- CreateIndex
CREATE UNIQUE INDEX "incident_kind_externalRef_ownerScope_key" ON "incident"("kind", "externalRef", "ownerScope");
