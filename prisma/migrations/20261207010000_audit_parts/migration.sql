-- Hand-edited: UNLOGGED (the diff does not see it). What an audit's parts detected lives only until the run's
-- reconcile reads it; no WAL for it halves what the workers write (some 265k rows at 1M addresses). A server crash
-- empties these tables: a run in flight then fails for a part not detected, as it would for the crash itself.
-- CreateTable
CREATE UNLOGGED TABLE "audit_detection" (
    "runId" UUID NOT NULL,
    "part" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "finding" JSON NOT NULL,

    CONSTRAINT "audit_detection_pkey" PRIMARY KEY ("runId","part","seq")
);

-- CreateTable
CREATE UNLOGGED TABLE "audit_part" (
    "runId" UUID NOT NULL,
    "part" TEXT NOT NULL,
    "rows" INTEGER,
    "ms" INTEGER,
    "worker" TEXT,
    "error" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_part_pkey" PRIMARY KEY ("runId","part")
);
