-- CreateTable
CREATE TABLE "ExplanationJob" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ExplanationJob_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ExplanationJob_status_createdAt_idx" ON "ExplanationJob"("status", "createdAt");

-- CreateIndex
CREATE INDEX "ExplanationJob_runId_createdAt_idx" ON "ExplanationJob"("runId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ExplanationJob_runId_cacheKey_key" ON "ExplanationJob"("runId", "cacheKey");

-- AddForeignKey
ALTER TABLE "ExplanationJob" ADD CONSTRAINT "ExplanationJob_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

