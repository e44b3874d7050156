-- CreateTable
CREATE TABLE "MetricLevel" (
    "runId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "bucket" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "firstStep" INTEGER NOT NULL,
    "firstValue" DOUBLE PRECISION NOT NULL,
    "lastStep" INTEGER NOT NULL,
    "lastValue" DOUBLE PRECISION NOT NULL,
    "minStep" INTEGER NOT NULL,
    "minValue" DOUBLE PRECISION NOT NULL,
    "maxStep" INTEGER NOT NULL,
    "maxValue" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "MetricLevel_pkey" PRIMARY KEY ("runId","name","level","bucket")
);

-- AddForeignKey
ALTER TABLE "MetricLevel" ADD CONSTRAINT "MetricLevel_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill: the levels of the series stored before this migration (metric-levels.ts levelFromPointsSql).
INSERT INTO "MetricLevel" ("runId", "name", "level", "bucket", "count", "firstStep", "firstValue", "lastStep", "lastValue", "minStep", "minValue", "maxStep", "maxValue")
SELECT "runId", "name", 1, "bucket", COUNT(*),
       MAX(CASE WHEN rf = 1 THEN "step" END), MAX(CASE WHEN rf = 1 THEN "value" END),
       MAX(CASE WHEN rl = 1 THEN "step" END), MAX(CASE WHEN rl = 1 THEN "value" END),
       MAX(CASE WHEN rmin = 1 THEN "step" END), MAX(CASE WHEN rmin = 1 THEN "value" END),
       MAX(CASE WHEN rmax = 1 THEN "step" END), MAX(CASE WHEN rmax = 1 THEN "value" END)
FROM (SELECT "runId", "name", "step", "value", "step" / 4 AS "bucket",
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 4 ORDER BY "step") AS rf,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 4 ORDER BY "step" DESC) AS rl,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 4 ORDER BY "value", "step") AS rmin,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 4 ORDER BY "value" DESC, "step") AS rmax
      FROM "MetricPoint" WHERE TRUE) AS t
GROUP BY "runId", "name", "bucket";

INSERT INTO "MetricLevel" ("runId", "name", "level", "bucket", "count", "firstStep", "firstValue", "lastStep", "lastValue", "minStep", "minValue", "maxStep", "maxValue")
SELECT "runId", "name", 2, "bucket", COUNT(*),
       MAX(CASE WHEN rf = 1 THEN "step" END), MAX(CASE WHEN rf = 1 THEN "value" END),
       MAX(CASE WHEN rl = 1 THEN "step" END), MAX(CASE WHEN rl = 1 THEN "value" END),
       MAX(CASE WHEN rmin = 1 THEN "step" END), MAX(CASE WHEN rmin = 1 THEN "value" END),
       MAX(CASE WHEN rmax = 1 THEN "step" END), MAX(CASE WHEN rmax = 1 THEN "value" END)
FROM (SELECT "runId", "name", "step", "value", "step" / 16 AS "bucket",
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 16 ORDER BY "step") AS rf,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 16 ORDER BY "step" DESC) AS rl,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 16 ORDER BY "value", "step") AS rmin,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 16 ORDER BY "value" DESC, "step") AS rmax
      FROM "MetricPoint" WHERE TRUE) AS t
GROUP BY "runId", "name", "bucket";

INSERT INTO "MetricLevel" ("runId", "name", "level", "bucket", "count", "firstStep", "firstValue", "lastStep", "lastValue", "minStep", "minValue", "maxStep", "maxValue")
SELECT "runId", "name", 3, "bucket", COUNT(*),
       MAX(CASE WHEN rf = 1 THEN "step" END), MAX(CASE WHEN rf = 1 THEN "value" END),
       MAX(CASE WHEN rl = 1 THEN "step" END), MAX(CASE WHEN rl = 1 THEN "value" END),
       MAX(CASE WHEN rmin = 1 THEN "step" END), MAX(CASE WHEN rmin = 1 THEN "value" END),
       MAX(CASE WHEN rmax = 1 THEN "step" END), MAX(CASE WHEN rmax = 1 THEN "value" END)
FROM (SELECT "runId", "name", "step", "value", "step" / 64 AS "bucket",
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 64 ORDER BY "step") AS rf,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 64 ORDER BY "step" DESC) AS rl,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 64 ORDER BY "value", "step") AS rmin,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 64 ORDER BY "value" DESC, "step") AS rmax
      FROM "MetricPoint" WHERE TRUE) AS t
GROUP BY "runId", "name", "bucket";

INSERT INTO "MetricLevel" ("runId", "name", "level", "bucket", "count", "firstStep", "firstValue", "lastStep", "lastValue", "minStep", "minValue", "maxStep", "maxValue")
SELECT "runId", "name", 4, "bucket", COUNT(*),
       MAX(CASE WHEN rf = 1 THEN "step" END), MAX(CASE WHEN rf = 1 THEN "value" END),
       MAX(CASE WHEN rl = 1 THEN "step" END), MAX(CASE WHEN rl = 1 THEN "value" END),
       MAX(CASE WHEN rmin = 1 THEN "step" END), MAX(CASE WHEN rmin = 1 THEN "value" END),
       MAX(CASE WHEN rmax = 1 THEN "step" END), MAX(CASE WHEN rmax = 1 THEN "value" END)
FROM (SELECT "runId", "name", "step", "value", "step" / 256 AS "bucket",
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 256 ORDER BY "step") AS rf,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 256 ORDER BY "step" DESC) AS rl,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 256 ORDER BY "value", "step") AS rmin,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 256 ORDER BY "value" DESC, "step") AS rmax
      FROM "MetricPoint" WHERE TRUE) AS t
GROUP BY "runId", "name", "bucket";

INSERT INTO "MetricLevel" ("runId", "name", "level", "bucket", "count", "firstStep", "firstValue", "lastStep", "lastValue", "minStep", "minValue", "maxStep", "maxValue")
SELECT "runId", "name", 5, "bucket", COUNT(*),
       MAX(CASE WHEN rf = 1 THEN "step" END), MAX(CASE WHEN rf = 1 THEN "value" END),
       MAX(CASE WHEN rl = 1 THEN "step" END), MAX(CASE WHEN rl = 1 THEN "value" END),
       MAX(CASE WHEN rmin = 1 THEN "step" END), MAX(CASE WHEN rmin = 1 THEN "value" END),
       MAX(CASE WHEN rmax = 1 THEN "step" END), MAX(CASE WHEN rmax = 1 THEN "value" END)
FROM (SELECT "runId", "name", "step", "value", "step" / 1024 AS "bucket",
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 1024 ORDER BY "step") AS rf,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 1024 ORDER BY "step" DESC) AS rl,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 1024 ORDER BY "value", "step") AS rmin,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 1024 ORDER BY "value" DESC, "step") AS rmax
      FROM "MetricPoint" WHERE TRUE) AS t
GROUP BY "runId", "name", "bucket";

INSERT INTO "MetricLevel" ("runId", "name", "level", "bucket", "count", "firstStep", "firstValue", "lastStep", "lastValue", "minStep", "minValue", "maxStep", "maxValue")
SELECT "runId", "name", 6, "bucket", COUNT(*),
       MAX(CASE WHEN rf = 1 THEN "step" END), MAX(CASE WHEN rf = 1 THEN "value" END),
       MAX(CASE WHEN rl = 1 THEN "step" END), MAX(CASE WHEN rl = 1 THEN "value" END),
       MAX(CASE WHEN rmin = 1 THEN "step" END), MAX(CASE WHEN rmin = 1 THEN "value" END),
       MAX(CASE WHEN rmax = 1 THEN "step" END), MAX(CASE WHEN rmax = 1 THEN "value" END)
FROM (SELECT "runId", "name", "step", "value", "step" / 4096 AS "bucket",
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 4096 ORDER BY "step") AS rf,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 4096 ORDER BY "step" DESC) AS rl,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 4096 ORDER BY "value", "step") AS rmin,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 4096 ORDER BY "value" DESC, "step") AS rmax
      FROM "MetricPoint" WHERE TRUE) AS t
GROUP BY "runId", "name", "bucket";

INSERT INTO "MetricLevel" ("runId", "name", "level", "bucket", "count", "firstStep", "firstValue", "lastStep", "lastValue", "minStep", "minValue", "maxStep", "maxValue")
SELECT "runId", "name", 7, "bucket", COUNT(*),
       MAX(CASE WHEN rf = 1 THEN "step" END), MAX(CASE WHEN rf = 1 THEN "value" END),
       MAX(CASE WHEN rl = 1 THEN "step" END), MAX(CASE WHEN rl = 1 THEN "value" END),
       MAX(CASE WHEN rmin = 1 THEN "step" END), MAX(CASE WHEN rmin = 1 THEN "value" END),
       MAX(CASE WHEN rmax = 1 THEN "step" END), MAX(CASE WHEN rmax = 1 THEN "value" END)
FROM (SELECT "runId", "name", "step", "value", "step" / 16384 AS "bucket",
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 16384 ORDER BY "step") AS rf,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 16384 ORDER BY "step" DESC) AS rl,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 16384 ORDER BY "value", "step") AS rmin,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 16384 ORDER BY "value" DESC, "step") AS rmax
      FROM "MetricPoint" WHERE TRUE) AS t
GROUP BY "runId", "name", "bucket";

INSERT INTO "MetricLevel" ("runId", "name", "level", "bucket", "count", "firstStep", "firstValue", "lastStep", "lastValue", "minStep", "minValue", "maxStep", "maxValue")
SELECT "runId", "name", 8, "bucket", COUNT(*),
       MAX(CASE WHEN rf = 1 THEN "step" END), MAX(CASE WHEN rf = 1 THEN "value" END),
       MAX(CASE WHEN rl = 1 THEN "step" END), MAX(CASE WHEN rl = 1 THEN "value" END),
       MAX(CASE WHEN rmin = 1 THEN "step" END), MAX(CASE WHEN rmin = 1 THEN "value" END),
       MAX(CASE WHEN rmax = 1 THEN "step" END), MAX(CASE WHEN rmax = 1 THEN "value" END)
FROM (SELECT "runId", "name", "step", "value", "step" / 65536 AS "bucket",
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 65536 ORDER BY "step") AS rf,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 65536 ORDER BY "step" DESC) AS rl,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 65536 ORDER BY "value", "step") AS rmin,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 65536 ORDER BY "value" DESC, "step") AS rmax
      FROM "MetricPoint" WHERE TRUE) AS t
GROUP BY "runId", "name", "bucket";

INSERT INTO "MetricLevel" ("runId", "name", "level", "bucket", "count", "firstStep", "firstValue", "lastStep", "lastValue", "minStep", "minValue", "maxStep", "maxValue")
SELECT "runId", "name", 9, "bucket", COUNT(*),
       MAX(CASE WHEN rf = 1 THEN "step" END), MAX(CASE WHEN rf = 1 THEN "value" END),
       MAX(CASE WHEN rl = 1 THEN "step" END), MAX(CASE WHEN rl = 1 THEN "value" END),
       MAX(CASE WHEN rmin = 1 THEN "step" END), MAX(CASE WHEN rmin = 1 THEN "value" END),
       MAX(CASE WHEN rmax = 1 THEN "step" END), MAX(CASE WHEN rmax = 1 THEN "value" END)
FROM (SELECT "runId", "name", "step", "value", "step" / 262144 AS "bucket",
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 262144 ORDER BY "step") AS rf,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 262144 ORDER BY "step" DESC) AS rl,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 262144 ORDER BY "value", "step") AS rmin,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 262144 ORDER BY "value" DESC, "step") AS rmax
      FROM "MetricPoint" WHERE TRUE) AS t
GROUP BY "runId", "name", "bucket";

INSERT INTO "MetricLevel" ("runId", "name", "level", "bucket", "count", "firstStep", "firstValue", "lastStep", "lastValue", "minStep", "minValue", "maxStep", "maxValue")
SELECT "runId", "name", 10, "bucket", COUNT(*),
       MAX(CASE WHEN rf = 1 THEN "step" END), MAX(CASE WHEN rf = 1 THEN "value" END),
       MAX(CASE WHEN rl = 1 THEN "step" END), MAX(CASE WHEN rl = 1 THEN "value" END),
       MAX(CASE WHEN rmin = 1 THEN "step" END), MAX(CASE WHEN rmin = 1 THEN "value" END),
       MAX(CASE WHEN rmax = 1 THEN "step" END), MAX(CASE WHEN rmax = 1 THEN "value" END)
FROM (SELECT "runId", "name", "step", "value", "step" / 1048576 AS "bucket",
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 1048576 ORDER BY "step") AS rf,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 1048576 ORDER BY "step" DESC) AS rl,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 1048576 ORDER BY "value", "step") AS rmin,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 1048576 ORDER BY "value" DESC, "step") AS rmax
      FROM "MetricPoint" WHERE TRUE) AS t
GROUP BY "runId", "name", "bucket";

INSERT INTO "MetricLevel" ("runId", "name", "level", "bucket", "count", "firstStep", "firstValue", "lastStep", "lastValue", "minStep", "minValue", "maxStep", "maxValue")
SELECT "runId", "name", 11, "bucket", COUNT(*),
       MAX(CASE WHEN rf = 1 THEN "step" END), MAX(CASE WHEN rf = 1 THEN "value" END),
       MAX(CASE WHEN rl = 1 THEN "step" END), MAX(CASE WHEN rl = 1 THEN "value" END),
       MAX(CASE WHEN rmin = 1 THEN "step" END), MAX(CASE WHEN rmin = 1 THEN "value" END),
       MAX(CASE WHEN rmax = 1 THEN "step" END), MAX(CASE WHEN rmax = 1 THEN "value" END)
FROM (SELECT "runId", "name", "step", "value", "step" / 4194304 AS "bucket",
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 4194304 ORDER BY "step") AS rf,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 4194304 ORDER BY "step" DESC) AS rl,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 4194304 ORDER BY "value", "step") AS rmin,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 4194304 ORDER BY "value" DESC, "step") AS rmax
      FROM "MetricPoint" WHERE TRUE) AS t
GROUP BY "runId", "name", "bucket";

INSERT INTO "MetricLevel" ("runId", "name", "level", "bucket", "count", "firstStep", "firstValue", "lastStep", "lastValue", "minStep", "minValue", "maxStep", "maxValue")
SELECT "runId", "name", 12, "bucket", COUNT(*),
       MAX(CASE WHEN rf = 1 THEN "step" END), MAX(CASE WHEN rf = 1 THEN "value" END),
       MAX(CASE WHEN rl = 1 THEN "step" END), MAX(CASE WHEN rl = 1 THEN "value" END),
       MAX(CASE WHEN rmin = 1 THEN "step" END), MAX(CASE WHEN rmin = 1 THEN "value" END),
       MAX(CASE WHEN rmax = 1 THEN "step" END), MAX(CASE WHEN rmax = 1 THEN "value" END)
FROM (SELECT "runId", "name", "step", "value", "step" / 16777216 AS "bucket",
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 16777216 ORDER BY "step") AS rf,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 16777216 ORDER BY "step" DESC) AS rl,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 16777216 ORDER BY "value", "step") AS rmin,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 16777216 ORDER BY "value" DESC, "step") AS rmax
      FROM "MetricPoint" WHERE TRUE) AS t
GROUP BY "runId", "name", "bucket";

INSERT INTO "MetricLevel" ("runId", "name", "level", "bucket", "count", "firstStep", "firstValue", "lastStep", "lastValue", "minStep", "minValue", "maxStep", "maxValue")
SELECT "runId", "name", 13, "bucket", COUNT(*),
       MAX(CASE WHEN rf = 1 THEN "step" END), MAX(CASE WHEN rf = 1 THEN "value" END),
       MAX(CASE WHEN rl = 1 THEN "step" END), MAX(CASE WHEN rl = 1 THEN "value" END),
       MAX(CASE WHEN rmin = 1 THEN "step" END), MAX(CASE WHEN rmin = 1 THEN "value" END),
       MAX(CASE WHEN rmax = 1 THEN "step" END), MAX(CASE WHEN rmax = 1 THEN "value" END)
FROM (SELECT "runId", "name", "step", "value", "step" / 67108864 AS "bucket",
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 67108864 ORDER BY "step") AS rf,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 67108864 ORDER BY "step" DESC) AS rl,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 67108864 ORDER BY "value", "step") AS rmin,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 67108864 ORDER BY "value" DESC, "step") AS rmax
      FROM "MetricPoint" WHERE TRUE) AS t
GROUP BY "runId", "name", "bucket";

INSERT INTO "MetricLevel" ("runId", "name", "level", "bucket", "count", "firstStep", "firstValue", "lastStep", "lastValue", "minStep", "minValue", "maxStep", "maxValue")
SELECT "runId", "name", 14, "bucket", COUNT(*),
       MAX(CASE WHEN rf = 1 THEN "step" END), MAX(CASE WHEN rf = 1 THEN "value" END),
       MAX(CASE WHEN rl = 1 THEN "step" END), MAX(CASE WHEN rl = 1 THEN "value" END),
       MAX(CASE WHEN rmin = 1 THEN "step" END), MAX(CASE WHEN rmin = 1 THEN "value" END),
       MAX(CASE WHEN rmax = 1 THEN "step" END), MAX(CASE WHEN rmax = 1 THEN "value" END)
FROM (SELECT "runId", "name", "step", "value", "step" / 268435456 AS "bucket",
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 268435456 ORDER BY "step") AS rf,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 268435456 ORDER BY "step" DESC) AS rl,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 268435456 ORDER BY "value", "step") AS rmin,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 268435456 ORDER BY "value" DESC, "step") AS rmax
      FROM "MetricPoint" WHERE TRUE) AS t
GROUP BY "runId", "name", "bucket";

INSERT INTO "MetricLevel" ("runId", "name", "level", "bucket", "count", "firstStep", "firstValue", "lastStep", "lastValue", "minStep", "minValue", "maxStep", "maxValue")
SELECT "runId", "name", 15, "bucket", COUNT(*),
       MAX(CASE WHEN rf = 1 THEN "step" END), MAX(CASE WHEN rf = 1 THEN "value" END),
       MAX(CASE WHEN rl = 1 THEN "step" END), MAX(CASE WHEN rl = 1 THEN "value" END),
       MAX(CASE WHEN rmin = 1 THEN "step" END), MAX(CASE WHEN rmin = 1 THEN "value" END),
       MAX(CASE WHEN rmax = 1 THEN "step" END), MAX(CASE WHEN rmax = 1 THEN "value" END)
FROM (SELECT "runId", "name", "step", "value", "step" / 1073741824 AS "bucket",
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 1073741824 ORDER BY "step") AS rf,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 1073741824 ORDER BY "step" DESC) AS rl,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 1073741824 ORDER BY "value", "step") AS rmin,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 1073741824 ORDER BY "value" DESC, "step") AS rmax
      FROM "MetricPoint" WHERE TRUE) AS t
GROUP BY "runId", "name", "bucket";

INSERT INTO "MetricLevel" ("runId", "name", "level", "bucket", "count", "firstStep", "firstValue", "lastStep", "lastValue", "minStep", "minValue", "maxStep", "maxValue")
SELECT "runId", "name", 16, "bucket", COUNT(*),
       MAX(CASE WHEN rf = 1 THEN "step" END), MAX(CASE WHEN rf = 1 THEN "value" END),
       MAX(CASE WHEN rl = 1 THEN "step" END), MAX(CASE WHEN rl = 1 THEN "value" END),
       MAX(CASE WHEN rmin = 1 THEN "step" END), MAX(CASE WHEN rmin = 1 THEN "value" END),
       MAX(CASE WHEN rmax = 1 THEN "step" END), MAX(CASE WHEN rmax = 1 THEN "value" END)
FROM (SELECT "runId", "name", "step", "value", "step" / 4294967296 AS "bucket",
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 4294967296 ORDER BY "step") AS rf,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 4294967296 ORDER BY "step" DESC) AS rl,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 4294967296 ORDER BY "value", "step") AS rmin,
             ROW_NUMBER() OVER (PARTITION BY "runId", "name", "step" / 4294967296 ORDER BY "value" DESC, "step") AS rmax
      FROM "MetricPoint" WHERE TRUE) AS t
GROUP BY "runId", "name", "bucket";
