-- CreateTable
CREATE TABLE "record_merge" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "entityType" TEXT NOT NULL,
    "survivorKey" TEXT NOT NULL,
    "memberKeys" TEXT[],
    "actor" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "findingId" UUID,
    "fields" JSONB NOT NULL DEFAULT '{}',
    "moved" JSONB NOT NULL DEFAULT '{}',
    "snapshot" JSONB NOT NULL DEFAULT '{}',
    "undoneAt" TIMESTAMPTZ(3),
    "undoneBy" TEXT,

    CONSTRAINT "record_merge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "record_alias" (
    "entityType" TEXT NOT NULL,
    "alias" TEXT NOT NULL,
    "targetKey" TEXT NOT NULL,
    "mergeId" UUID NOT NULL,
    "values" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "record_alias_pkey" PRIMARY KEY ("entityType","alias")
);

-- CreateTable
CREATE TABLE "distinct_mark" (
    "id" SERIAL NOT NULL,
    "entityType" TEXT NOT NULL,
    "keyA" TEXT NOT NULL,
    "keyB" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "findingId" UUID,
    "removedAt" TIMESTAMPTZ(3),
    "removedBy" TEXT,
    "removeReason" TEXT,

    CONSTRAINT "distinct_mark_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "record_merge_entityType_survivorKey_idx" ON "record_merge"("entityType", "survivorKey");

-- CreateIndex
CREATE INDEX "record_merge_at_idx" ON "record_merge"("at");

-- CreateIndex
CREATE INDEX "record_alias_entityType_targetKey_idx" ON "record_alias"("entityType", "targetKey");

-- CreateIndex
CREATE INDEX "record_alias_mergeId_idx" ON "record_alias"("mergeId");

-- CreateIndex
CREATE INDEX "distinct_mark_entityType_keyA_idx" ON "distinct_mark"("entityType", "keyA");

-- CreateIndex
CREATE INDEX "distinct_mark_entityType_keyB_idx" ON "distinct_mark"("entityType", "keyB");

-- AddForeignKey
ALTER TABLE "record_alias" ADD CONSTRAINT "record_alias_mergeId_fkey" FOREIGN KEY ("mergeId") REFERENCES "record_merge"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: one live «not a duplicate» mark a pair (removed marks stay as history)
CREATE UNIQUE INDEX "distinct_mark_live_pair_key" ON "distinct_mark"("entityType", "keyA", "keyB") WHERE "removedAt" IS NULL;
ALTER TABLE "distinct_mark" ADD CONSTRAINT "distinct_mark_ordered_pair" CHECK ("keyA" < "keyB" COLLATE "C");
