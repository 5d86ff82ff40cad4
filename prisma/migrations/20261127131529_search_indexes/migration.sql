-- Indexes of the search service (src/search/): candidates for what a support agent types, found by
-- pg_trgm (substrings and typos) instead of scanning a table.

-- Customers: a fragment of a phone («45-67-89»), a name with a typo or in part («иванов»).
-- CreateIndex
CREATE INDEX "customer_phoneNorm_trgm_idx" ON "customer" USING GIN ("phoneNorm" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "customer_nameNorm_trgm_idx" ON "customer" USING GIN ("nameNorm" gin_trgm_ops);

-- Equipment: half a serial or a MAC, in any notation (compared normalised).
-- CreateIndex
CREATE INDEX "equipment_serialNorm_trgm_idx" ON "equipment" USING GIN ("serialNorm" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "equipment_macNorm_trgm_idx" ON "equipment" USING GIN ("macNorm" gin_trgm_ops);

-- Hand-written (schema.prisma cannot express an index on an expression; the schema engine's diff
-- leaves such indexes alone, which `npm run db:check` relies on — test/search/indexes.test.ts):
-- Addresses: the folded street name (third field of streetKey, «ленина») by trigrams, for a street
-- named with a typo, without its type or city; and house + flat («5», «кв12»), for a street name
-- too garbled for trigrams when the numbers are right.
CREATE INDEX "address_street_name_trgm_idx" ON "address" USING GIN ((split_part("streetKey", '|', 3)) gin_trgm_ops);
CREATE INDEX "address_house_flat_idx" ON "address" ((split_part("houseKey", '|', 4)), (split_part("normalized", '|', 7)));
