-- Indexes for the runs query language compiled to SQL (apps/api/src/run/query/sql.ts).

-- Keyset pages of the runs table in creation order (ORDER BY "createdAt", "id"), across
-- projects and within one project: the id tie-breaker is in the index, so a page is an index
-- range scan. The second replaces ("projectId", "createdAt").
CREATE INDEX "Run_createdAt_id_idx" ON "Run"("createdAt", "id");
DROP INDEX "Run_projectId_createdAt_idx";
CREATE INDEX "Run_projectId_createdAt_id_idx" ON "Run"("projectId", "createdAt", "id");

-- Sorting by best./final. of a metric walks its summaries in value order (best: max, or min
-- for losses and errors; final: last), the run id breaking ties. They replace ("name").
DROP INDEX "RunMetricSummary_name_idx";
CREATE INDEX "RunMetricSummary_name_max_runId_idx" ON "RunMetricSummary"("name", "max", "runId");
CREATE INDEX "RunMetricSummary_name_min_runId_idx" ON "RunMetricSummary"("name", "min", "runId");
CREATE INDEX "RunMetricSummary_name_last_runId_idx" ON "RunMetricSummary"("name", "last", "runId");
