-- CreateTable
CREATE TABLE "UncertaintyEvaluation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "runId" TEXT NOT NULL,
    "split" TEXT NOT NULL DEFAULT 'test',
    "method" TEXT NOT NULL,
    "passes" INTEGER NOT NULL,
    "numSamples" INTEGER NOT NULL,
    "numClasses" INTEGER NOT NULL,
    "classNames" TEXT NOT NULL,
    "accuracy" REAL NOT NULL,
    "auc" REAL,
    "perClassAuc" TEXT NOT NULL,
    "meanEntropy" REAL NOT NULL,
    "meanMutualInformation" REAL NOT NULL,
    "clientRequestId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "UncertaintyEvaluation_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "UncertaintySample" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "uncertaintyId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "label" INTEGER NOT NULL,
    "predicted" INTEGER NOT NULL,
    "entropy" REAL NOT NULL,
    "mutualInformation" REAL NOT NULL,
    "meanProbabilities" TEXT NOT NULL,
    "std" TEXT NOT NULL,
    "quantiles" TEXT NOT NULL,
    CONSTRAINT "UncertaintySample_uncertaintyId_fkey" FOREIGN KEY ("uncertaintyId") REFERENCES "UncertaintyEvaluation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "UncertaintyEvaluation_runId_createdAt_idx" ON "UncertaintyEvaluation"("runId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "UncertaintyEvaluation_runId_clientRequestId_key" ON "UncertaintyEvaluation"("runId", "clientRequestId");

-- CreateIndex
CREATE INDEX "UncertaintySample_uncertaintyId_entropy_idx" ON "UncertaintySample"("uncertaintyId", "entropy");

-- CreateIndex
CREATE INDEX "UncertaintySample_uncertaintyId_mutualInformation_idx" ON "UncertaintySample"("uncertaintyId", "mutualInformation");

-- CreateIndex
CREATE UNIQUE INDEX "UncertaintySample_uncertaintyId_index_key" ON "UncertaintySample"("uncertaintyId", "index");

