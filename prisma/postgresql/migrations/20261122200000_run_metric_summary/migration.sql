-- CreateTable
CREATE TABLE "RunMetricSummary" (
    "runId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "last" DOUBLE PRECISION NOT NULL,
    "lastStep" INTEGER NOT NULL,
    "min" DOUBLE PRECISION NOT NULL,
    "max" DOUBLE PRECISION NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "RunMetricSummary_pkey" PRIMARY KEY ("runId","name")
);

-- CreateIndex
CREATE INDEX "RunMetricSummary_name_idx" ON "RunMetricSummary"("name");

-- AddForeignKey
ALTER TABLE "RunMetricSummary" ADD CONSTRAINT "RunMetricSummary_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Backfill: summaries of the series stored before this migration.
INSERT INTO "RunMetricSummary" ("runId", "name", "last", "lastStep", "min", "max", "count")
SELECT p."runId", p."name",
       (SELECT q."value" FROM "MetricPoint" q WHERE q."runId" = p."runId" AND q."name" = p."name" ORDER BY q."step" DESC LIMIT 1),
       MAX(p."step"), MIN(p."value"), MAX(p."value"), COUNT(*)
FROM "MetricPoint" p
GROUP BY p."runId", p."name";
