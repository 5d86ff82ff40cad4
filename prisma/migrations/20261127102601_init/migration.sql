-- CreateEnum
CREATE TYPE "ProductKind" AS ENUM ('SERVICE', 'EQUIPMENT');

-- CreateEnum
CREATE TYPE "ProductStatus" AS ENUM ('ACTIVE', 'DISCONTINUED');

-- CreateEnum
CREATE TYPE "CustomerKind" AS ENUM ('PERSON', 'COMPANY');

-- CreateEnum
CREATE TYPE "ContractStatus" AS ENUM ('DRAFT', 'ACTIVE', 'SUSPENDED', 'TERMINATED');

-- CreateEnum
CREATE TYPE "EquipmentStatus" AS ENUM ('IN_STOCK', 'INSTALLED', 'DECOMMISSIONED');

-- CreateEnum
CREATE TYPE "AuditTrigger" AS ENUM ('CLI', 'API', 'SCHEDULE', 'INCREMENTAL');

-- CreateEnum
CREATE TYPE "AuditRunStatus" AS ENUM ('RUNNING', 'SUCCEEDED', 'FAILED');

-- CreateEnum
CREATE TYPE "Severity" AS ENUM ('critical', 'high', 'medium', 'low');

-- CreateEnum
CREATE TYPE "FindingStatus" AS ENUM ('NEW', 'OPEN', 'ACKNOWLEDGED', 'IN_PROGRESS', 'RESOLVED', 'REOPENED', 'WAIVED');

-- CreateEnum
CREATE TYPE "IncidentKind" AS ENUM ('INCIDENT', 'COMPLAINT');

-- CreateEnum
CREATE TYPE "Channel" AS ENUM ('PHONE', 'EMAIL', 'FAX', 'EXTERNAL_SYSTEM');

-- CreateEnum
CREATE TYPE "IncidentStatus" AS ENUM ('OPEN', 'CLOSED');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('NSI_SPECIALIST', 'SUPPORT_AGENT', 'AUDITOR', 'ADMIN', 'SERVICE_DESK');

-- CreateTable
CREATE TABLE "market" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "market_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "equipment_type" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "equipment_type_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "product" (
    "id" SERIAL NOT NULL,
    "sku" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "ProductKind" NOT NULL,
    "equipmentTypeId" INTEGER,
    "status" "ProductStatus" NOT NULL,
    "validFrom" DATE,
    "validTo" DATE,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "product_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "product_market" (
    "productId" INTEGER NOT NULL,
    "marketId" INTEGER NOT NULL,

    CONSTRAINT "product_market_pkey" PRIMARY KEY ("productId","marketId")
);

-- CreateTable
CREATE TABLE "customer" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "CustomerKind",
    "inn" TEXT,
    "phone" TEXT,
    "email" TEXT,
    "phoneNorm" TEXT,
    "nameNorm" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "address" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "region" TEXT,
    "city" TEXT,
    "street" TEXT,
    "streetType" TEXT,
    "streetName" TEXT,
    "house" TEXT,
    "building" TEXT,
    "structure" TEXT,
    "apartment" TEXT,
    "postalCode" TEXT,
    "normalized" TEXT NOT NULL,
    "houseKey" TEXT NOT NULL,
    "streetKey" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "address_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contract" (
    "id" SERIAL NOT NULL,
    "number" TEXT NOT NULL,
    "customerId" INTEGER NOT NULL,
    "addressId" INTEGER NOT NULL,
    "productId" INTEGER NOT NULL,
    "marketId" INTEGER NOT NULL,
    "status" "ContractStatus" NOT NULL,
    "validFrom" DATE NOT NULL,
    "validTo" DATE,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contract_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "equipment" (
    "id" SERIAL NOT NULL,
    "inventoryNo" TEXT NOT NULL,
    "serial" TEXT,
    "serialNorm" TEXT,
    "mac" TEXT,
    "macNorm" TEXT,
    "productId" INTEGER NOT NULL,
    "addressId" INTEGER,
    "contractId" INTEGER,
    "status" "EquipmentStatus" NOT NULL,
    "installedAt" DATE,
    "removedAt" DATE,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "equipment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_run" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "trigger" "AuditTrigger" NOT NULL,
    "actor" TEXT NOT NULL,
    "rules" TEXT[],
    "marketCode" TEXT,
    "asOf" DATE NOT NULL,
    "status" "AuditRunStatus" NOT NULL DEFAULT 'RUNNING',
    "error" TEXT,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),
    "counts" JSONB NOT NULL DEFAULT '{}',
    "timings" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "audit_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "finding" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "fingerprint" TEXT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "severity" "Severity" NOT NULL,
    "status" "FindingStatus" NOT NULL DEFAULT 'NEW',
    "message" TEXT NOT NULL,
    "entities" JSONB NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "marketCode" TEXT,
    "equipmentTypeCode" TEXT,
    "firstSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "firstRunId" UUID,
    "lastRunId" UUID,
    "resolvedAt" TIMESTAMPTZ(3),
    "acknowledgedAt" TIMESTAMPTZ(3),
    "ackDueAt" TIMESTAMPTZ(3),
    "dueAt" TIMESTAMPTZ(3),
    "escalationLevel" INTEGER NOT NULL DEFAULT 0,
    "groupId" INTEGER,
    "supportLine" INTEGER,
    "assignee" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "finding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "finding_entity" (
    "findingId" UUID NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityKey" TEXT NOT NULL,

    CONSTRAINT "finding_entity_pkey" PRIMARY KEY ("findingId","entityType","entityKey")
);

-- CreateTable
CREATE TABLE "finding_event" (
    "id" BIGSERIAL NOT NULL,
    "findingId" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "fromStatus" "FindingStatus",
    "toStatus" "FindingStatus",
    "reason" TEXT,
    "data" JSONB NOT NULL DEFAULT '{}',
    "runId" UUID,

    CONSTRAINT "finding_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "waiver" (
    "id" SERIAL NOT NULL,
    "findingId" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "waiver_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rule_override" (
    "ruleId" TEXT NOT NULL,
    "enabled" BOOLEAN,
    "severity" "Severity",
    "params" JSONB,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedBy" TEXT NOT NULL,

    CONSTRAINT "rule_override_pkey" PRIMARY KEY ("ruleId")
);

-- CreateTable
CREATE TABLE "incident" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kind" "IncidentKind" NOT NULL,
    "channel" "Channel" NOT NULL,
    "externalRef" TEXT,
    "description" TEXT,
    "status" "IncidentStatus" NOT NULL DEFAULT 'OPEN',
    "customerRef" TEXT,
    "addressRef" TEXT,
    "contractRef" TEXT,
    "equipmentRef" TEXT,
    "customerId" INTEGER,
    "addressId" INTEGER,
    "contractId" INTEGER,
    "equipmentId" INTEGER,
    "unresolved" JSONB NOT NULL DEFAULT '[]',
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "incident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "finding_incident" (
    "findingId" UUID NOT NULL,
    "incidentId" UUID NOT NULL,
    "origin" TEXT NOT NULL,
    "reason" TEXT,
    "actor" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "finding_incident_pkey" PRIMARY KEY ("findingId","incidentId")
);

-- CreateTable
CREATE TABLE "responsible_group" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "supportLine" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "responsible_group_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "responsible_group_market" (
    "groupId" INTEGER NOT NULL,
    "marketId" INTEGER NOT NULL,

    CONSTRAINT "responsible_group_market_pkey" PRIMARY KEY ("groupId","marketId")
);

-- CreateTable
CREATE TABLE "responsible_group_equipment_type" (
    "groupId" INTEGER NOT NULL,
    "equipmentTypeId" INTEGER NOT NULL,

    CONSTRAINT "responsible_group_equipment_type_pkey" PRIMARY KEY ("groupId","equipmentTypeId")
);

-- CreateTable
CREATE TABLE "subscription" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "recipients" TEXT[],
    "groupId" INTEGER,
    "marketCode" TEXT,
    "sendWhenUnchanged" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "lastSentAt" TIMESTAMPTZ(3),
    "lastRunId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "subscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_key" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "markets" TEXT[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "import_run" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "source" TEXT NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),
    "counts" JSONB NOT NULL DEFAULT '{}',
    "changed" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "import_run_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "market_code_key" ON "market"("code");

-- CreateIndex
CREATE UNIQUE INDEX "equipment_type_code_key" ON "equipment_type"("code");

-- CreateIndex
CREATE UNIQUE INDEX "product_sku_key" ON "product"("sku");

-- CreateIndex
CREATE INDEX "product_equipmentTypeId_idx" ON "product"("equipmentTypeId");

-- CreateIndex
CREATE INDEX "product_market_marketId_idx" ON "product_market"("marketId");

-- CreateIndex
CREATE UNIQUE INDEX "customer_code_key" ON "customer"("code");

-- CreateIndex
CREATE INDEX "customer_inn_idx" ON "customer"("inn");

-- CreateIndex
CREATE INDEX "customer_phoneNorm_idx" ON "customer"("phoneNorm");

-- CreateIndex
CREATE INDEX "customer_nameNorm_idx" ON "customer"("nameNorm");

-- CreateIndex
CREATE UNIQUE INDEX "address_code_key" ON "address"("code");

-- CreateIndex
CREATE INDEX "address_normalized_idx" ON "address"("normalized");

-- CreateIndex
CREATE INDEX "address_houseKey_idx" ON "address"("houseKey");

-- CreateIndex
CREATE INDEX "address_streetKey_idx" ON "address"("streetKey");

-- CreateIndex
CREATE UNIQUE INDEX "contract_number_key" ON "contract"("number");

-- CreateIndex
CREATE INDEX "contract_addressId_productId_idx" ON "contract"("addressId", "productId");

-- CreateIndex
CREATE INDEX "contract_customerId_idx" ON "contract"("customerId");

-- CreateIndex
CREATE INDEX "contract_marketId_idx" ON "contract"("marketId");

-- CreateIndex
CREATE UNIQUE INDEX "equipment_inventoryNo_key" ON "equipment"("inventoryNo");

-- CreateIndex
CREATE INDEX "equipment_serialNorm_idx" ON "equipment"("serialNorm");

-- CreateIndex
CREATE INDEX "equipment_macNorm_idx" ON "equipment"("macNorm");

-- CreateIndex
CREATE INDEX "equipment_contractId_idx" ON "equipment"("contractId");

-- CreateIndex
CREATE INDEX "equipment_addressId_idx" ON "equipment"("addressId");

-- CreateIndex
CREATE INDEX "audit_run_startedAt_idx" ON "audit_run"("startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "finding_fingerprint_key" ON "finding"("fingerprint");

-- CreateIndex
CREATE INDEX "finding_ruleId_status_idx" ON "finding"("ruleId", "status");

-- CreateIndex
CREATE INDEX "finding_status_idx" ON "finding"("status");

-- CreateIndex
CREATE INDEX "finding_marketCode_idx" ON "finding"("marketCode");

-- CreateIndex
CREATE INDEX "finding_groupId_idx" ON "finding"("groupId");

-- CreateIndex
CREATE INDEX "finding_entity_entityType_entityKey_idx" ON "finding_entity"("entityType", "entityKey");

-- CreateIndex
CREATE INDEX "finding_event_findingId_at_idx" ON "finding_event"("findingId", "at");

-- CreateIndex
CREATE INDEX "waiver_findingId_idx" ON "waiver"("findingId");

-- CreateIndex
CREATE INDEX "incident_customerId_idx" ON "incident"("customerId");

-- CreateIndex
CREATE INDEX "incident_addressId_idx" ON "incident"("addressId");

-- CreateIndex
CREATE INDEX "incident_contractId_idx" ON "incident"("contractId");

-- CreateIndex
CREATE INDEX "incident_equipmentId_idx" ON "incident"("equipmentId");

-- CreateIndex
CREATE UNIQUE INDEX "incident_kind_externalRef_key" ON "incident"("kind", "externalRef");

-- CreateIndex
CREATE INDEX "finding_incident_incidentId_idx" ON "finding_incident"("incidentId");

-- CreateIndex
CREATE UNIQUE INDEX "responsible_group_code_key" ON "responsible_group"("code");

-- CreateIndex
CREATE UNIQUE INDEX "api_key_hash_key" ON "api_key"("hash");

-- CreateIndex
CREATE INDEX "import_run_startedAt_idx" ON "import_run"("startedAt");

-- AddForeignKey
ALTER TABLE "product" ADD CONSTRAINT "product_equipmentTypeId_fkey" FOREIGN KEY ("equipmentTypeId") REFERENCES "equipment_type"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "product_market" ADD CONSTRAINT "product_market_productId_fkey" FOREIGN KEY ("productId") REFERENCES "product"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "product_market" ADD CONSTRAINT "product_market_marketId_fkey" FOREIGN KEY ("marketId") REFERENCES "market"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contract" ADD CONSTRAINT "contract_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contract" ADD CONSTRAINT "contract_addressId_fkey" FOREIGN KEY ("addressId") REFERENCES "address"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contract" ADD CONSTRAINT "contract_productId_fkey" FOREIGN KEY ("productId") REFERENCES "product"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contract" ADD CONSTRAINT "contract_marketId_fkey" FOREIGN KEY ("marketId") REFERENCES "market"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "equipment" ADD CONSTRAINT "equipment_productId_fkey" FOREIGN KEY ("productId") REFERENCES "product"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "equipment" ADD CONSTRAINT "equipment_addressId_fkey" FOREIGN KEY ("addressId") REFERENCES "address"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "equipment" ADD CONSTRAINT "equipment_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "contract"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finding" ADD CONSTRAINT "finding_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "responsible_group"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finding_entity" ADD CONSTRAINT "finding_entity_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "finding"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finding_event" ADD CONSTRAINT "finding_event_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "finding"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finding_event" ADD CONSTRAINT "finding_event_runId_fkey" FOREIGN KEY ("runId") REFERENCES "audit_run"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "waiver" ADD CONSTRAINT "waiver_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "finding"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident" ADD CONSTRAINT "incident_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "customer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident" ADD CONSTRAINT "incident_addressId_fkey" FOREIGN KEY ("addressId") REFERENCES "address"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident" ADD CONSTRAINT "incident_contractId_fkey" FOREIGN KEY ("contractId") REFERENCES "contract"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident" ADD CONSTRAINT "incident_equipmentId_fkey" FOREIGN KEY ("equipmentId") REFERENCES "equipment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finding_incident" ADD CONSTRAINT "finding_incident_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "finding"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finding_incident" ADD CONSTRAINT "finding_incident_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "responsible_group_market" ADD CONSTRAINT "responsible_group_market_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "responsible_group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "responsible_group_market" ADD CONSTRAINT "responsible_group_market_marketId_fkey" FOREIGN KEY ("marketId") REFERENCES "market"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "responsible_group_equipment_type" ADD CONSTRAINT "responsible_group_equipment_type_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "responsible_group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "responsible_group_equipment_type" ADD CONSTRAINT "responsible_group_equipment_type_equipmentTypeId_fkey" FOREIGN KEY ("equipmentTypeId") REFERENCES "equipment_type"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "subscription" ADD CONSTRAINT "subscription_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "responsible_group"("id") ON DELETE CASCADE ON UPDATE CASCADE;
