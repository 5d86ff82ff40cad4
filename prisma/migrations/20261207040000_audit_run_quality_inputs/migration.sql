-- AlterTable
ALTER TABLE "audit_run" ADD COLUMN     "qualityInputs" JSONB;
