-- Compact points (issue #11): a point is its (runId, name, step) key plus value and time. The
-- surrogate "id" and its rowid b-tree duplicated that key's unique index; as the primary key of a
-- WITHOUT ROWID table the key is stored once, with the row, in (runId, name, step) order (the
-- order every read walks). MetricLevel likewise: its primary key was a second b-tree beside the
-- rowid table. Table redefinition is safe inside the migration's transaction: no table
-- references either (dropping them cascades nothing). Existing rows are copied unchanged.

-- RedefineTable
CREATE TABLE "new_MetricPoint" (
    "runId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "step" INTEGER NOT NULL,
    "value" REAL NOT NULL,
    "time" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("runId", "name", "step"),
    CONSTRAINT "MetricPoint_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
) WITHOUT ROWID;
INSERT INTO "new_MetricPoint" ("runId", "name", "step", "value", "time")
SELECT "runId", "name", "step", "value", "time" FROM "MetricPoint";
DROP TABLE "MetricPoint";
ALTER TABLE "new_MetricPoint" RENAME TO "MetricPoint";

-- RedefineTable
CREATE TABLE "new_MetricLevel" (
    "runId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "bucket" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "firstStep" INTEGER NOT NULL,
    "firstValue" REAL NOT NULL,
    "lastStep" INTEGER NOT NULL,
    "lastValue" REAL NOT NULL,
    "minStep" INTEGER NOT NULL,
    "minValue" REAL NOT NULL,
    "maxStep" INTEGER NOT NULL,
    "maxValue" REAL NOT NULL,

    PRIMARY KEY ("runId", "name", "level", "bucket"),
    CONSTRAINT "MetricLevel_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
) WITHOUT ROWID;
INSERT INTO "new_MetricLevel" SELECT "runId", "name", "level", "bucket", "count", "firstStep", "firstValue", "lastStep", "lastValue", "minStep", "minValue", "maxStep", "maxValue" FROM "MetricLevel";
DROP TABLE "MetricLevel";
ALTER TABLE "new_MetricLevel" RENAME TO "MetricLevel";
