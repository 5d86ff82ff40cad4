-- AlterTable
ALTER TABLE "rule_seen" ADD COLUMN     "inputKey" TEXT;

-- CreateTable
CREATE TABLE "data_change" (
    "id" BIGSERIAL NOT NULL,
    "weight" BIGINT NOT NULL DEFAULT 1,

    CONSTRAINT "data_change_pkey" PRIMARY KEY ("id")
);

-- Hand-written: every statement that may change what detection reads adds a row (statement triggers fire for COPY and
-- TRUNCATE too, and for statements that change nothing: a version that moves without a change only costs a detection).
-- Rows are visible when their transaction commits, so an audit's snapshot counts exactly the changes its detection can
-- see; a rolled-back change counts nothing.
CREATE FUNCTION sverka_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "data_change" (weight) VALUES (1);
  RETURN NULL;
END
$$;

CREATE TRIGGER sverka_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "market" FOR EACH STATEMENT EXECUTE FUNCTION sverka_data_changed();
CREATE TRIGGER sverka_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "equipment_type" FOR EACH STATEMENT EXECUTE FUNCTION sverka_data_changed();
CREATE TRIGGER sverka_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "product" FOR EACH STATEMENT EXECUTE FUNCTION sverka_data_changed();
CREATE TRIGGER sverka_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "product_market" FOR EACH STATEMENT EXECUTE FUNCTION sverka_data_changed();
CREATE TRIGGER sverka_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "customer" FOR EACH STATEMENT EXECUTE FUNCTION sverka_data_changed();
CREATE TRIGGER sverka_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "address" FOR EACH STATEMENT EXECUTE FUNCTION sverka_data_changed();
CREATE TRIGGER sverka_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "contract" FOR EACH STATEMENT EXECUTE FUNCTION sverka_data_changed();
CREATE TRIGGER sverka_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "equipment" FOR EACH STATEMENT EXECUTE FUNCTION sverka_data_changed();
CREATE TRIGGER sverka_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "distinct_mark" FOR EACH STATEMENT EXECUTE FUNCTION sverka_data_changed();
