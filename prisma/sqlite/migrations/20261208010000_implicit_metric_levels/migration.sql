-- Implicit metric levels (issue #11): a downsampling level whose one bucket still spans the
-- whole series (4^level > the series' highest step) equals the series' level-16 row, so ingest no
-- longer stores it (apps/api/src/metric/metric-levels.ts levelStored); the reader takes level 16
-- in its place. This drops the rows the backfill and earlier ingest stored for such levels (only
-- bucket 0 of a level can be one); a level becomes stored again when its series reaches its
-- second bucket. No schema change.
DELETE FROM "MetricLevel" WHERE "level" < 16 AND "bucket" = 0 AND (TRUE) AND (1 << (2 * "level")) > (SELECT t."lastStep" FROM "MetricLevel" t WHERE t."runId" = "MetricLevel"."runId" AND t."name" = "MetricLevel"."name" AND t."level" = 16 AND t."bucket" = 0);
