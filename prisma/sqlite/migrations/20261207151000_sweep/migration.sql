-- Sweeps (issue #11): a config whose runs are queued as jobs (Run.sweepId comes from 20261207150000_job_queue).
-- CreateTable
CREATE TABLE "Sweep" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'RUNNING',
    "method" TEXT NOT NULL,
    "config" TEXT NOT NULL,
    "configText" TEXT NOT NULL,
    "launched" INTEGER NOT NULL DEFAULT 0,
    "launchErrors" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "endedAt" DATETIME,
    CONSTRAINT "Sweep_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Sweep_projectId_createdAt_id_idx" ON "Sweep"("projectId", "createdAt", "id");
CREATE INDEX "Sweep_status_idx" ON "Sweep"("status");
CREATE INDEX "Run_sweepId_status_idx" ON "Run"("sweepId", "status");
