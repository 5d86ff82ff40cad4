-- CreateTable
CREATE TABLE "schedule" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "cron" TEXT NOT NULL,
    "timezone" TEXT NOT NULL DEFAULT 'Europe/Moscow',
    "rules" TEXT[],
    "marketCode" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "lastTickAt" TIMESTAMPTZ(3),
    "lastTickJob" TEXT,
    "lastRunId" UUID,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "schedule_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "schedule_name_key" ON "schedule"("name");
