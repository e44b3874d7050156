-- Compact points (issue #11): a point is its (runId, name, step) key plus value and time. The
-- surrogate "id" (a column, a sequence and a second b-tree written with every point) goes; the
-- existing unique index on the key becomes the primary key without a rebuild. Existing rows keep
-- their values.

-- AlterTable
ALTER TABLE "MetricPoint" DROP CONSTRAINT "MetricPoint_pkey";
ALTER TABLE "MetricPoint" DROP COLUMN "id";
ALTER TABLE "MetricPoint" ADD CONSTRAINT "MetricPoint_pkey" PRIMARY KEY USING INDEX "MetricPoint_runId_name_step_key";
