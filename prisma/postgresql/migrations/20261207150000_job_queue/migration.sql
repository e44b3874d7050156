-- Queued work (issue #11): queue fields of a run, the workers that execute jobs, and the jobs
-- with their lease. On PostgreSQL pg-boss delivers the jobs (its own schema, created at start)
-- and this table keeps the lease.
ALTER TABLE "Run" ADD COLUMN "priority" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Run" ADD COLUMN "attempts" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Run" ADD COLUMN "cancelRequested" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Run" ADD COLUMN "queuedConfig" TEXT;
ALTER TABLE "Run" ADD COLUMN "workerId" TEXT;
ALTER TABLE "Run" ADD COLUMN "sourceRunId" TEXT;
ALTER TABLE "Run" ADD COLUMN "sweepId" TEXT;

-- CreateTable
CREATE TABLE "Worker" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "backend" TEXT NOT NULL,
    "gpu" BOOLEAN NOT NULL DEFAULT false,
    "memoryMb" INTEGER NOT NULL DEFAULT 0,
    "concurrency" INTEGER NOT NULL DEFAULT 1,
    "kinds" TEXT NOT NULL DEFAULT '["TRAIN"]',
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Worker_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "runId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'QUEUED',
    "priority" INTEGER NOT NULL DEFAULT 0,
    "payload" TEXT NOT NULL,
    "reqBackend" TEXT,
    "reqGpu" BOOLEAN NOT NULL DEFAULT false,
    "reqMemoryMb" INTEGER NOT NULL DEFAULT 0,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 3,
    "workerId" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "error" TEXT,
    "queueName" TEXT,
    "engineJobId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Worker_lastSeenAt_idx" ON "Worker"("lastSeenAt");
CREATE INDEX "Worker_userId_idx" ON "Worker"("userId");
CREATE INDEX "Job_status_priority_createdAt_idx" ON "Job"("status", "priority", "createdAt");
CREATE INDEX "Job_status_leaseExpiresAt_idx" ON "Job"("status", "leaseExpiresAt");
CREATE INDEX "Job_runId_idx" ON "Job"("runId");
CREATE INDEX "Job_workerId_status_idx" ON "Job"("workerId", "status");

-- AddForeignKey
ALTER TABLE "Job" ADD CONSTRAINT "Job_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;
