-- AlterEnum
ALTER TYPE "AuditRunStatus" ADD VALUE 'QUEUED';
