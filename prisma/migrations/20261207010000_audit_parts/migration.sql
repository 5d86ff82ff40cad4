-- CreateTable
CREATE TABLE "audit_detection" (
    "runId" UUID NOT NULL,
    "part" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "finding" JSON NOT NULL,

    CONSTRAINT "audit_detection_pkey" PRIMARY KEY ("runId","part","seq")
);

-- CreateTable
CREATE TABLE "audit_part" (
    "runId" UUID NOT NULL,
    "part" TEXT NOT NULL,
    "rows" INTEGER,
    "ms" INTEGER,
    "worker" TEXT,
    "error" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_part_pkey" PRIMARY KEY ("runId","part")
);
