-- Album schedules (issue 16): a schedule of kind ALBUM mails the reports album of the last full week or month to one
-- subscription instead of running an audit. The CHECK keeps the kinds apart (the diff does not model it: hand-written).

-- CreateEnum
CREATE TYPE "ScheduleKind" AS ENUM ('AUDIT', 'ALBUM');

-- CreateEnum
CREATE TYPE "AlbumPeriod" AS ENUM ('WEEK', 'MONTH');

-- AlterTable
ALTER TABLE "schedule" ADD COLUMN     "albumPeriod" "AlbumPeriod",
ADD COLUMN     "kind" "ScheduleKind" NOT NULL DEFAULT 'AUDIT',
ADD COLUMN     "lastSentAt" TIMESTAMPTZ(3),
ADD COLUMN     "lastSentPeriod" DATE,
ADD COLUMN     "subscriptionId" INTEGER;

-- AddForeignKey
ALTER TABLE "schedule" ADD CONSTRAINT "schedule_subscriptionId_fkey" FOREIGN KEY ("subscriptionId") REFERENCES "subscription"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- an ALBUM schedule has a period and a subscription; an AUDIT schedule has neither
ALTER TABLE "schedule" ADD CONSTRAINT "schedule_kind_fields" CHECK (
  CASE "kind" WHEN 'ALBUM' THEN "albumPeriod" IS NOT NULL AND "subscriptionId" IS NOT NULL
    ELSE "albumPeriod" IS NULL AND "subscriptionId" IS NULL AND "lastSentPeriod" IS NULL END);
