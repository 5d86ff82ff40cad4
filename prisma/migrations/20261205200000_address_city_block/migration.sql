-- address-duplicate's second blocking (a slip in a settlement's name): addresses equal in all but the settlement
-- are read by the normalized form without its first field, and a settlement's houses are counted (is it a real
-- settlement, or a slip?) from its own rows. Expression indexes, like the search's: schema.prisma cannot say them
-- and the drift check leaves them alone; the importer's bulk load rebuilds them from pg_get_indexdef.
CREATE INDEX "address_city_block_idx" ON "address" ((substr("normalized", strpos("normalized", '|') + 1)));
CREATE INDEX "address_city_house_idx" ON "address" ((split_part("normalized", '|', 1)), "houseKey");
