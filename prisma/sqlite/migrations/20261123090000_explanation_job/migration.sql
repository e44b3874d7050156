-- CreateTable
CREATE TABLE "ExplanationJob" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "runId" TEXT NOT NULL,
    "imageSha256" TEXT NOT NULL,
    "imageMime" TEXT NOT NULL,
    "imageBytes" INTEGER NOT NULL,
    "imageWidth" INTEGER NOT NULL,
    "imageHeight" INTEGER NOT NULL,
    "params" TEXT NOT NULL,
    "cacheKey" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'QUEUED',
    "result" TEXT,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "workerId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    CONSTRAINT "ExplanationJob_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ExplanationJob_status_createdAt_idx" ON "ExplanationJob"("status", "createdAt");

-- CreateIndex
CREATE INDEX "ExplanationJob_runId_createdAt_idx" ON "ExplanationJob"("runId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ExplanationJob_runId_cacheKey_key" ON "ExplanationJob"("runId", "cacheKey");

