-- Name words folded to one form in the address match keys (NAME_WORD_FOLDS in src/addresses/vocabulary.ts):
-- «Б. Садовая» = «Большая Садовая», «Ниж. Новгород» = «Нижний Новгород». The keys of the addresses already
-- stored are rewritten the same way. normalized is city | type | name | house | к | с | кв; only the city (1)
-- and the street name (3) hold words; houseKey, streetKey and blockKey are made of the same fields.
CREATE FUNCTION sverka_fold_name_words(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(string_agg(CASE
      WHEN w IN ('б', 'больш', 'большая', 'большой', 'большое', 'большие') THEN 'б'
      WHEN w IN ('м', 'мал', 'малая', 'малый', 'малое', 'малые') THEN 'м'
      WHEN w IN ('ср', 'средн', 'средняя', 'средний', 'среднее', 'средние') THEN 'ср'
      WHEN w IN ('верх', 'верхн', 'верхняя', 'верхний', 'верхнее', 'верхние') THEN 'верх'
      WHEN w IN ('ниж', 'нижн', 'нижняя', 'нижний', 'нижнее', 'нижние') THEN 'ниж'
      WHEN w IN ('стар', 'старая', 'старый', 'старое', 'старые') THEN 'стар'
      WHEN w IN ('нов', 'новая', 'новый', 'новое', 'новые') THEN 'нов'
      ELSE w END, ' ' ORDER BY o), '')
  FROM unnest(string_to_array(t, ' ')) WITH ORDINALITY AS x(w, o)
$$;

UPDATE "address" a SET
  "streetKey" = k.c || '|' || k.t || '|' || k.n,
  "houseKey" = k.c || '|' || k.t || '|' || k.n || '|' || k.h || '|' || k.b || '|' || k.s,
  "normalized" = k.c || '|' || k.t || '|' || k.n || '|' || k.h || '|' || k.b || '|' || k.s || '|' || k.f,
  "blockKey" = k.c || '|' || k.t || '|' || k.h || '|' || k.b || '|' || k.s || '|' || k.f
FROM (
  SELECT id,
    sverka_fold_name_words(split_part("normalized", '|', 1)) AS c, split_part("normalized", '|', 2) AS t,
    sverka_fold_name_words(split_part("normalized", '|', 3)) AS n, split_part("normalized", '|', 4) AS h,
    split_part("normalized", '|', 5) AS b, split_part("normalized", '|', 6) AS s, split_part("normalized", '|', 7) AS f
  FROM "address"
  WHERE "normalized" ~ '(^|[ |])(больш|большая|большой|большое|большие|мал|малая|малый|малое|малые|средн|средняя|средний|среднее|средние|верхн|верхняя|верхний|верхнее|верхние|нижн|нижняя|нижний|нижнее|нижние|старая|старый|старое|старые|новая|новый|новое|новые)([ |]|$)'
) k
WHERE a.id = k.id;

DROP FUNCTION sverka_fold_name_words(text);
