-- AlterTable
ALTER TABLE "address" ADD COLUMN     "importHash" TEXT;

-- AlterTable
ALTER TABLE "contract" ADD COLUMN     "importHash" TEXT;

-- AlterTable
ALTER TABLE "customer" ADD COLUMN     "importHash" TEXT;

-- AlterTable
ALTER TABLE "equipment" ADD COLUMN     "importHash" TEXT;

-- AlterTable
ALTER TABLE "equipment_type" ADD COLUMN     "importHash" TEXT;

-- AlterTable
ALTER TABLE "market" ADD COLUMN     "importHash" TEXT;

-- Hand-written: an UPDATE that changes a row without setting "importHash" anew (a write through the API, a merge
-- moving rows) clears it, so that a stored hash always means «this row still holds what the import's row of that
-- hash wrote» and a re-import may skip the row on the hash alone. The importer sets a new hash with every row it
-- writes; an UPDATE that changes nothing (an undone merge putting a row back as it was, hash included) keeps it.
CREATE FUNCTION sverka_import_hash_cleared() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."importHash" IS NOT DISTINCT FROM OLD."importHash" AND NEW IS DISTINCT FROM OLD THEN
    NEW."importHash" := NULL;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER sverka_import_hash_cleared BEFORE UPDATE ON "market" FOR EACH ROW WHEN (OLD."importHash" IS NOT NULL) EXECUTE FUNCTION sverka_import_hash_cleared();
CREATE TRIGGER sverka_import_hash_cleared BEFORE UPDATE ON "equipment_type" FOR EACH ROW WHEN (OLD."importHash" IS NOT NULL) EXECUTE FUNCTION sverka_import_hash_cleared();
CREATE TRIGGER sverka_import_hash_cleared BEFORE UPDATE ON "customer" FOR EACH ROW WHEN (OLD."importHash" IS NOT NULL) EXECUTE FUNCTION sverka_import_hash_cleared();
CREATE TRIGGER sverka_import_hash_cleared BEFORE UPDATE ON "address" FOR EACH ROW WHEN (OLD."importHash" IS NOT NULL) EXECUTE FUNCTION sverka_import_hash_cleared();
CREATE TRIGGER sverka_import_hash_cleared BEFORE UPDATE ON "contract" FOR EACH ROW WHEN (OLD."importHash" IS NOT NULL) EXECUTE FUNCTION sverka_import_hash_cleared();
CREATE TRIGGER sverka_import_hash_cleared BEFORE UPDATE ON "equipment" FOR EACH ROW WHEN (OLD."importHash" IS NOT NULL) EXECUTE FUNCTION sverka_import_hash_cleared();
