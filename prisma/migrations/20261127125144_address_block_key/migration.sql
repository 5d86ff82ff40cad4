-- The block of an address (normalized without the street name) as its own indexed column, so that
-- a re-check of one address finds its block by the index instead of computing it for every row.

-- AlterTable: existing rows get their block from normalized (the same function as src/addresses/parse.ts)
ALTER TABLE "address" ADD COLUMN     "blockKey" TEXT;
UPDATE "address" SET "blockKey" = regexp_replace("normalized", '^([^|]*\|[^|]*)\|[^|]*', '\1');
ALTER TABLE "address" ALTER COLUMN "blockKey" SET NOT NULL;

-- CreateIndex
CREATE INDEX "address_blockKey_idx" ON "address"("blockKey");
