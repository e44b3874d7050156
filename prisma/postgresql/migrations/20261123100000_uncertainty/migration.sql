-- CreateTable
CREATE TABLE "UncertaintyEvaluation" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "split" TEXT NOT NULL DEFAULT 'test',
    "method" TEXT NOT NULL,
    "passes" INTEGER NOT NULL,
    "numSamples" INTEGER NOT NULL,
    "numClasses" INTEGER NOT NULL,
    "classNames" TEXT NOT NULL,
    "accuracy" DOUBLE PRECISION NOT NULL,
    "auc" DOUBLE PRECISION,
    "perClassAuc" TEXT NOT NULL,
    "meanEntropy" DOUBLE PRECISION NOT NULL,
    "meanMutualInformation" DOUBLE PRECISION NOT NULL,
    "clientRequestId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UncertaintyEvaluation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UncertaintySample" (
    "id" SERIAL NOT NULL,
    "uncertaintyId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "label" INTEGER NOT NULL,
    "predicted" INTEGER NOT NULL,
    "entropy" DOUBLE PRECISION NOT NULL,
    "mutualInformation" DOUBLE PRECISION NOT NULL,
    "meanProbabilities" TEXT NOT NULL,
    "std" TEXT NOT NULL,
    "quantiles" TEXT NOT NULL,

    CONSTRAINT "UncertaintySample_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "UncertaintyEvaluation" ADD CONSTRAINT "UncertaintyEvaluation_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UncertaintySample" ADD CONSTRAINT "UncertaintySample_uncertaintyId_fkey" FOREIGN KEY ("uncertaintyId") REFERENCES "UncertaintyEvaluation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

