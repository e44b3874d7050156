-- CreateTable
CREATE TABLE "Evaluation" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "split" TEXT NOT NULL DEFAULT 'test',
    "numSamples" INTEGER NOT NULL,
    "numClasses" INTEGER NOT NULL,
    "classNames" TEXT NOT NULL,
    "report" TEXT NOT NULL,
    "accuracy" DOUBLE PRECISION NOT NULL,
    "logLoss" DOUBLE PRECISION NOT NULL,
    "ece" DOUBLE PRECISION NOT NULL,
    "clientRequestId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Evaluation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Prediction" (
    "id" SERIAL NOT NULL,
    "evaluationId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "label" INTEGER NOT NULL,
    "predicted" INTEGER NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "correct" BOOLEAN NOT NULL,
    "probabilities" TEXT NOT NULL,

    CONSTRAINT "Prediction_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Evaluation_runId_createdAt_idx" ON "Evaluation"("runId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Evaluation_runId_clientRequestId_key" ON "Evaluation"("runId", "clientRequestId");

-- CreateIndex
CREATE INDEX "Prediction_evaluationId_correct_index_idx" ON "Prediction"("evaluationId", "correct", "index");

-- CreateIndex
CREATE INDEX "Prediction_evaluationId_label_index_idx" ON "Prediction"("evaluationId", "label", "index");

-- CreateIndex
CREATE INDEX "Prediction_evaluationId_predicted_index_idx" ON "Prediction"("evaluationId", "predicted", "index");

-- CreateIndex
CREATE INDEX "Prediction_evaluationId_confidence_idx" ON "Prediction"("evaluationId", "confidence");

-- CreateIndex
CREATE UNIQUE INDEX "Prediction_evaluationId_index_key" ON "Prediction"("evaluationId", "index");

-- AddForeignKey
ALTER TABLE "Evaluation" ADD CONSTRAINT "Evaluation_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Prediction" ADD CONSTRAINT "Prediction_evaluationId_fkey" FOREIGN KEY ("evaluationId") REFERENCES "Evaluation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

