-- Address readings of issue 15 (src/addresses/parse.ts), applied to the addresses already stored where the stored
-- columns alone say what the parser now gives. normalized is city | type | name | house | к | с | кв.
--  1. An ordinal written after a name keys like one written before it: «Парковая 9-я» = «9-я Парковая», the key's
--     trailing number moves to the front ('парковая 9' → '9 парковая'), in the street name (3) and the city (1).
--  2. «0» is no house number: a house whose number is 0 is no house.
--  3. In Zelenograd a корпус with no house is the house («Зеленоград, к. 1106»).
-- Names with a hyphen-joined number («дер. Каменка-5», «ул. Новая-633, д. 1») were split into a name and a house:
-- which number is the house then needs the parser, not SQL; re-importing the addresses re-derives those rows.
CREATE FUNCTION sverka_ordinal_first(k text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT regexp_replace(k, '^(.+) ([0-9]+)$', '\2 \1')
$$;

-- the name's last word is an ordinal: a number with an ordinal ending, glued or after '-' / a space
UPDATE "address" SET "normalized" =
    CASE WHEN "city" ~* '[0-9]+[^0-9a-zа-яё]*(я|й|ая|яя|ья|ой|ий|ый|ое|ее|ые|ого|его|го|х|ых|ти|ми)[^0-9a-zа-яё]*$'
      THEN sverka_ordinal_first(split_part("normalized", '|', 1)) ELSE split_part("normalized", '|', 1) END
    || '|' || split_part("normalized", '|', 2) || '|' ||
    CASE WHEN "streetName" ~* '[0-9]+[^0-9a-zа-яё]*(я|й|ая|яя|ья|ой|ий|ый|ое|ее|ые|ого|его|го|х|ых|ти|ми)[^0-9a-zа-яё]*$'
      THEN sverka_ordinal_first(split_part("normalized", '|', 3)) ELSE split_part("normalized", '|', 3) END
    || '|' || array_to_string((string_to_array("normalized", '|'))[4:7], '|')
WHERE "streetName" ~* '[^0-9][0-9]+[^0-9a-zа-яё]*(я|й|ая|яя|ья|ой|ий|ый|ое|ее|ые|ого|его|го|х|ых|ти|ми)[^0-9a-zа-яё]*$'
   OR "city" ~* '[^0-9][0-9]+[^0-9a-zа-яё]*(я|й|ая|яя|ья|ой|ий|ый|ое|ее|ые|ого|его|го|х|ых|ти|ми)[^0-9a-zа-яё]*$';

UPDATE "address" SET "house" = NULL,
  "normalized" = array_to_string((string_to_array("normalized", '|'))[1:3], '|') || '||' || array_to_string((string_to_array("normalized", '|'))[5:7], '|')
WHERE split_part("normalized", '|', 4) ~ '^0+([^0-9]|$)';

UPDATE "address" SET "house" = "building", "building" = NULL,
  "normalized" = array_to_string((string_to_array("normalized", '|'))[1:3], '|') || '|' || substr(split_part("normalized", '|', 5), 2)
    || '||' || array_to_string((string_to_array("normalized", '|'))[6:7], '|')
WHERE split_part("normalized", '|', 1) = 'зеленоград' AND split_part("normalized", '|', 4) = '' AND split_part("normalized", '|', 5) <> '';

-- the other keys are made of the fields of normalized
UPDATE "address" SET
  "streetKey" = array_to_string((string_to_array("normalized", '|'))[1:3], '|'),
  "houseKey" = array_to_string((string_to_array("normalized", '|'))[1:6], '|'),
  "blockKey" = array_to_string((string_to_array("normalized", '|'))[1:2] || (string_to_array("normalized", '|'))[4:7], '|')
WHERE ("streetKey", "houseKey", "blockKey") IS DISTINCT FROM (
  array_to_string((string_to_array("normalized", '|'))[1:3], '|'),
  array_to_string((string_to_array("normalized", '|'))[1:6], '|'),
  array_to_string((string_to_array("normalized", '|'))[1:2] || (string_to_array("normalized", '|'))[4:7], '|'));

DROP FUNCTION sverka_ordinal_first(text);
