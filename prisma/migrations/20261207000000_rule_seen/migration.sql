-- AlterTable
ALTER TABLE "finding" ADD COLUMN     "openedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateTable
CREATE TABLE "rule_seen" (
    "ruleId" TEXT NOT NULL,
    "market" TEXT NOT NULL,
    "runId" UUID NOT NULL,
    "seenAt" TIMESTAMPTZ(3) NOT NULL,
    "settled" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "rule_seen_pkey" PRIMARY KEY ("ruleId","market")
);

-- until now every run wrote lastSeenAt of what it saw: a finding open today became open no later than that
UPDATE "finding" SET "openedAt" = "lastSeenAt";
