-- Hyperparameters in indexed form (issue #11): RunParam holds, for every name `hp.<name>` can
-- read, the value evaluate.ts hyperparameter() resolves it to (apps/api/src/run/query/params.ts
-- writes the rows with each run). The runs query language reads one row by (name, value) through
-- an index instead of parsing every run's JSON text. A WITHOUT ROWID table: the primary key is
-- stored once, with the row.
CREATE TABLE "RunParam" (
    "runId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "num" REAL,
    "text" TEXT,
    "bool" BOOLEAN,
    "sortNum" REAL,

    PRIMARY KEY ("runId", "name"),
    CONSTRAINT "RunParam_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
) WITHOUT ROWID;

CREATE INDEX "RunParam_name_num_runId_idx" ON "RunParam"("name", "num", "runId");
CREATE INDEX "RunParam_name_sortNum_runId_idx" ON "RunParam"("name", "sortNum", "runId");

-- Backfill: the rows params.ts writes, for the runs already stored. The nodes of each run's JSON
-- (object keys, array indices and arrays' "length") named by their dotted path; a top-level key
-- is read first, a nested path only through keys without a dot (the walk splits the name on
-- dots); the aliases take the first key of their group present; JSON null reads as missing.
-- Differences from params.ts, for runs written before this migration only: a name over 256
-- bytes or starting with U+0001 is left out (params.ts stores its hash); text read as a number
-- follows SQLite's JSON5 numbers (sql.ts before this migration) instead of Number().
INSERT INTO "RunParam" ("runId", "name", "num", "text", "bool", "sortNum")
WITH RECURSIVE
  doc("runId", "doc") AS (
    SELECT "id", replace("hyperparameters", '\u0000', '\ufffd') FROM "Run"
    WHERE json_valid("hyperparameters") AND json_type("hyperparameters") = 'object'
  ),
  node("runId", "name", "top", "clean", "type", "atom", "lit", "value") AS (
    SELECT d."runId", j."key", 1, instr(j."key", '.') = 0, j."type", j."atom",
           (d."doc" -> j."fullkey"), j."value"
    FROM doc d CROSS JOIN json_each(d."doc") j
    UNION ALL
    SELECT n."runId", n."name" || '.' || j."key", 0, n."clean" AND instr(j."key", '.') = 0,
           j."type", j."atom", (n."value" -> j."fullkey"), j."value"
    FROM node n CROSS JOIN json_each(n."value") j
    WHERE n."type" IN ('object', 'array')
    UNION ALL
    SELECT n."runId", n."name" || '.length', 0, n."clean", 'integer', json_array_length(n."value"),
           CAST(json_array_length(n."value") AS TEXT), NULL
    FROM node n
    WHERE n."type" = 'array'
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
    SELECT n."runId", a."name", n."type", n."atom", n."lit", n."value",
           row_number() OVER (PARTITION BY n."runId", a."name" ORDER BY a."rank") AS "k"
    FROM named n JOIN alias a ON a."key" = n."name"
    WHERE n."top" = 1 AND n."k" = 1
  ),
  resolved AS (
    SELECT "runId", "name", "type", "atom", "lit", "value" FROM named
    WHERE "k" = 1 AND "name" NOT IN (SELECT "name" FROM alias)
    UNION ALL
    SELECT "runId", "name", "type", "atom", "lit", "value" FROM aliased WHERE "k" = 1
  )
SELECT "runId", "name",
       CASE
         WHEN "type" IN ('integer', 'real') THEN "atom"
         WHEN "type" = 'text' AND json_valid("atom", 2) AND json_type("atom") IN ('integer', 'real')
              AND "atom" NOT GLOB '*[+-]0[xX]*' AND abs(json_extract("atom", '$')) <= 1.7976931348623157e308
           THEN json_extract("atom", '$')
       END,
       CASE
         WHEN "type" IN ('integer', 'real') THEN "lit"
         WHEN "type" = 'text' THEN "atom"
         WHEN "type" IN ('object', 'array') THEN "value"
       END,
       CASE "type" WHEN 'true' THEN TRUE WHEN 'false' THEN FALSE END,
       CASE WHEN "type" IN ('integer', 'real') THEN "atom" WHEN "type" = 'true' THEN 1 WHEN "type" = 'false' THEN 0 END
FROM resolved
WHERE "type" <> 'null' AND length(CAST("name" AS BLOB)) <= 256 AND substr("name", 1, 1) <> char(1);
