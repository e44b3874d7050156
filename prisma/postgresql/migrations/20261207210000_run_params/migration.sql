-- Hyperparameters in indexed form (issue #11): RunParam holds, for every name `hp.<name>` can
-- read, the value evaluate.ts hyperparameter() resolves it to (apps/api/src/run/query/params.ts
-- writes the rows with each run). The runs query language reads one row by (name, value) through
-- an index instead of parsing every run's JSON text.
CREATE TABLE "RunParam" (
    "runId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "num" DOUBLE PRECISION,
    "text" TEXT,
    "bool" BOOLEAN,
    "sortNum" DOUBLE PRECISION,

    CONSTRAINT "RunParam_pkey" PRIMARY KEY ("runId","name")
);

CREATE INDEX "RunParam_name_num_runId_idx" ON "RunParam"("name", "num", "runId");
CREATE INDEX "RunParam_name_sortNum_runId_idx" ON "RunParam"("name", "sortNum", "runId");

ALTER TABLE "RunParam" ADD CONSTRAINT "RunParam_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill: the rows params.ts writes, for the runs already stored. The nodes of each run's JSON
-- (object keys, array indices and arrays' "length") named by their dotted path; a top-level key
-- is read first, a nested path only through keys without a dot (the walk splits the name on
-- dots); the aliases take the first key of their group present; JSON null reads as missing.
-- The `json` type keeps numbers' and objects' text as JSON.stringify wrote it. Differences from
-- params.ts, for runs written before this migration only: a name over 256 bytes or starting
-- with U+0001 is left out (params.ts stores its hash); text read as a number follows the
-- decimal numbers of sql.ts before this migration instead of Number().
INSERT INTO "RunParam" ("runId", "name", "num", "text", "bool", "sortNum")
WITH RECURSIVE
  node("runId", "name", "top", "clean", "value") AS (
    SELECT r."id", j.key, 1, strpos(j.key, '.') = 0, j.value
    FROM "Run" r
    CROSS JOIN LATERAL (SELECT CAST(replace(r."hyperparameters", '\u0000', '\ufffd') AS json) AS "doc") d
    CROSS JOIN LATERAL json_each(CASE WHEN json_typeof(d."doc") = 'object' THEN d."doc" ELSE '{}' END) j
    UNION ALL
    SELECT n."runId", n."name" || '.' || c.key, 0, n."clean" AND strpos(c.key, '.') = 0, c.value
    FROM node n
    CROSS JOIN LATERAL (
      SELECT o.key, o.value FROM json_each(CASE WHEN json_typeof(n."value") = 'object' THEN n."value" ELSE '{}' END) o
      UNION ALL
      SELECT CAST(a.i - 1 AS text), a.value FROM json_array_elements(CASE WHEN json_typeof(n."value") = 'array' THEN n."value" ELSE '[]' END) WITH ORDINALITY a(value, i)
      UNION ALL
      SELECT 'length', to_json(json_array_length(n."value")) WHERE json_typeof(n."value") = 'array'
    ) c
    WHERE json_typeof(n."value") IN ('object', 'array')
  ),
  -- One node per name: the top-level key, else the nested path walked through dotless keys.
  named AS (
    SELECT n.*, row_number() OVER (PARTITION BY n."runId", n."name" ORDER BY n."top" DESC) AS "k"
    FROM node n
    WHERE n."top" = 1 OR n."clean"
  ),
  alias("name", "key", "rank") AS (
    VALUES ('learningRate', 'learningRate', 0), ('learningRate', 'lr', 1), ('learningRate', 'learning_rate', 2),
           ('lr', 'lr', 0), ('lr', 'learningRate', 1), ('lr', 'learning_rate', 2),
           ('learning_rate', 'learning_rate', 0), ('learning_rate', 'learningRate', 1), ('learning_rate', 'lr', 2),
           ('batchSize', 'batchSize', 0), ('batchSize', 'batch_size', 1),
           ('batch_size', 'batch_size', 0), ('batch_size', 'batchSize', 1)
  ),
  aliased AS (
    SELECT n."runId", a."name", n."value",
           row_number() OVER (PARTITION BY n."runId", a."name" ORDER BY a."rank") AS "k"
    FROM named n JOIN alias a ON a."key" = n."name"
    WHERE n."top" = 1 AND n."k" = 1
  ),
  resolved AS (
    SELECT "runId", "name", "value", json_typeof("value") AS "type", "value" #>> '{}' AS "scalar"
    FROM (
      SELECT "runId", "name", "value" FROM named
      WHERE "k" = 1 AND "name" NOT IN (SELECT "name" FROM alias)
      UNION ALL
      SELECT "runId", "name", "value" FROM aliased WHERE "k" = 1
    ) v
  )
SELECT "runId", "name",
       CASE
         WHEN "type" = 'number' THEN CAST("scalar" AS float8)
         WHEN "type" = 'string' AND "scalar" ~ '^\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,4})?\s*$' THEN
           (CASE WHEN CAST("scalar" AS numeric) = 0 OR abs(CAST("scalar" AS numeric)) BETWEEN 1e-307 AND 1e308 THEN CAST("scalar" AS float8) END)
       END,
       CASE
         WHEN "type" = 'string' THEN "scalar"
         WHEN "type" IN ('number', 'object', 'array') THEN CAST("value" AS text)
       END,
       CASE WHEN "type" = 'boolean' THEN CAST("scalar" AS boolean) END,
       CASE
         WHEN "type" = 'number' THEN CAST("scalar" AS float8)
         WHEN "type" = 'boolean' THEN (CASE WHEN "scalar" = 'true' THEN 1 ELSE 0 END)
       END
FROM resolved
WHERE "type" <> 'null' AND octet_length("name") <= 256 AND left("name", 1) <> chr(1);
