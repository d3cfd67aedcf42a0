-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "configVersion" INTEGER NOT NULL DEFAULT 0;

-- A shop's rules and capability profiles are kept between orders by the processes that route them
-- (loadShopConfig), for as long as the shop's configVersion stays the same: every write to them
-- moves it on in the same transaction, whoever writes them. (PostgreSQL only: on SQLite one
-- process reads them every time, and a trigger naming "Shop" would make every later rebuild of
-- that table fail.) The function's body is an escape string whose semicolons are written \073:
-- Prisma's own migration engine cuts a file into statements at every semicolon, dollar quotes or
-- not, and must be able to apply this file too.
CREATE FUNCTION "shop_config_changed"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP <> ''INSERT'' THEN
    UPDATE "Shop" SET "configVersion" = "configVersion" + 1 WHERE "shop" = OLD."shop"\073
  END IF\073
  IF TG_OP = ''INSERT'' OR (TG_OP = ''UPDATE'' AND NEW."shop" IS DISTINCT FROM OLD."shop") THEN
    UPDATE "Shop" SET "configVersion" = "configVersion" + 1 WHERE "shop" = NEW."shop"\073
  END IF\073
  RETURN NULL\073
END';

CREATE TRIGGER "Rule_shop_config_changed" AFTER INSERT OR UPDATE OR DELETE ON "Rule"
  FOR EACH ROW EXECUTE FUNCTION "shop_config_changed"();

CREATE TRIGGER "CapabilityProfile_shop_config_changed"
  AFTER INSERT OR UPDATE OR DELETE ON "CapabilityProfile"
  FOR EACH ROW EXECUTE FUNCTION "shop_config_changed"();
