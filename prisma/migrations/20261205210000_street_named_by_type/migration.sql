-- A street named by a street type word (src/addresses/parse.ts, vocabulary.ts NAMING_STREET_TYPE_WORDS), applied to the
-- addresses already stored where the stored columns and the text alone say what the parser now gives. The parser used
-- to read «ул. Набережная» as an embankment without a name (type 'наб'), «Набережная ул» as a street without a name
-- (type 'ул'), a lone «Набережная, д. 5» as an embankment without a name, and a street cell «Набережная ул» as the
-- embankment «ул». Now:
--  1. «ул. Набережная», «улица Набережная», «Набережная ул», «Набережная улица» (text or street cell): ул / Набережная;
--  2. a lone «Набережная» in the text at the start of a part, before the house or a comma: a street without a type.
-- Where another type word stands beside it («пер. Набережная»), a lone one follows other words without a comma
-- («г Омск Набережная 5») or a street cell «Набережная» alone was given, re-importing the addresses re-derives the rows. normalized is city | type | name | house | к | с | кв.
-- Cyrillic is spelled out in both cases: case-insensitive matching of non-ASCII letters depends on the locale.

-- 1a. the text, type word before: stored 'наб' without a name
UPDATE "address" SET "streetType" = 'ул',
  "streetName" = (regexp_match("text", '(?:^|[^0-9a-zA-Zа-яА-ЯёЁ])(?:[Уу][Лл]|[Уу][Лл][Ии][Цц][Аа])[.[:space:]]+([Нн][Аа][Бб][Ее][Рр][Ее][Жж][Нн][Аа][Яя])(?:[^0-9a-zA-Zа-яА-ЯёЁ]|$)'))[1]
WHERE "streetType" = 'наб' AND "streetName" IS NULL AND ("street" IS NULL OR "street" = 'наб')
  AND "text" ~ '(?:^|[^0-9a-zA-Zа-яА-ЯёЁ])(?:[Уу][Лл]|[Уу][Лл][Ии][Цц][Аа])[.[:space:]]+[Нн][Аа][Бб][Ее][Рр][Ее][Жж][Нн][Аа][Яя](?:[^0-9a-zA-Zа-яА-ЯёЁ]|$)';

-- 1b. the text, type word after: stored 'ул' without a name
UPDATE "address" SET
  "streetName" = (regexp_match("text", '(?:^|[^0-9a-zA-Zа-яА-ЯёЁ])([Нн][Аа][Бб][Ее][Рр][Ее][Жж][Нн][Аа][Яя])[[:space:]]+(?:[Уу][Лл]|[Уу][Лл][Ии][Цц][Аа])(?:[^0-9a-zA-Zа-яА-ЯёЁ]|$)'))[1]
WHERE "streetType" = 'ул' AND "streetName" IS NULL AND ("street" IS NULL OR "street" = 'ул')
  AND "text" ~ '(?:^|[^0-9a-zA-Zа-яА-ЯёЁ])[Нн][Аа][Бб][Ее][Рр][Ее][Жж][Нн][Аа][Яя][[:space:]]+(?:[Уу][Лл]|[Уу][Лл][Ии][Цц][Аа])(?:[^0-9a-zA-Zа-яА-ЯёЁ]|$)';

-- 1c. a street cell «Набережная ул», «Набережная улица»: stored as 'наб' named «ул»
UPDATE "address" SET "streetType" = 'ул',
  "streetName" = (regexp_match("street", '^[[:space:]]*([Нн][Аа][Бб][Ее][Рр][Ее][Жж][Нн][Аа][Яя])'))[1]
WHERE "streetType" = 'наб' AND "streetName" ~ '^(?:[Уу][Лл]|[Уу][Лл][Ии][Цц][Аа])$'
  AND "street" ~ '^[[:space:]]*[Нн][Аа][Бб][Ее][Рр][Ее][Жж][Нн][Аа][Яя][[:space:]]+(?:[Уу][Лл]|[Уу][Лл][Ии][Цц][Аа])[.[:space:]]*$';

-- 2. a lone «Набережная» in the text: stored 'наб' without a name, no other street type word in the text
UPDATE "address" SET "streetType" = NULL,
  "streetName" = (regexp_match("text", '(?:^|[^0-9a-zA-Zа-яА-ЯёЁ])([Нн][Аа][Бб][Ее][Рр][Ее][Жж][Нн][Аа][Яя])(?:[^0-9a-zA-Zа-яА-ЯёЁ]|$)'))[1]
WHERE "streetType" = 'наб' AND "streetName" IS NULL AND ("street" IS NULL OR "street" = 'наб')
  AND "text" ~ '(?:^|,)[[:space:]]*[Нн][Аа][Бб][Ее][Рр][Ее][Жж][Нн][Аа][Яя][[:space:]]*(?:,|$|[0-9]|[Дд][.[:space:]]*[0-9]|[Дд][Оо][Мм][^0-9a-zA-Zа-яА-ЯёЁ])';

-- the rows changed above: the derived street column, the type and name fields of normalized, and the keys made of it
UPDATE "address" SET
  "street" = CASE WHEN "street" IS NULL OR "street" IN ('ул', 'наб') THEN concat_ws(' ', "streetType", "streetName") ELSE "street" END,
  "normalized" = split_part("normalized", '|', 1) || '|' || coalesce("streetType", '') || '|набережная|'
    || array_to_string((string_to_array("normalized", '|'))[4:7], '|')
WHERE "streetName" ~ '^[Нн][Аа][Бб][Ее][Рр][Ее][Жж][Нн][Аа][Яя]$'
  AND (split_part("normalized", '|', 2) <> coalesce("streetType", '') OR split_part("normalized", '|', 3) <> 'набережная');

UPDATE "address" SET
  "streetKey" = array_to_string((string_to_array("normalized", '|'))[1:3], '|'),
  "houseKey" = array_to_string((string_to_array("normalized", '|'))[1:6], '|'),
  "blockKey" = array_to_string((string_to_array("normalized", '|'))[1:2] || (string_to_array("normalized", '|'))[4:7], '|')
WHERE ("streetKey", "houseKey", "blockKey") IS DISTINCT FROM (
  array_to_string((string_to_array("normalized", '|'))[1:3], '|'),
  array_to_string((string_to_array("normalized", '|'))[1:6], '|'),
  array_to_string((string_to_array("normalized", '|'))[1:2] || (string_to_array("normalized", '|'))[4:7], '|'));
