-- CreateTable
CREATE TABLE "Evaluation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "runId" TEXT NOT NULL,
    "split" TEXT NOT NULL DEFAULT 'test',
    "numSamples" INTEGER NOT NULL,
    "numClasses" INTEGER NOT NULL,
    "classNames" TEXT NOT NULL,
    "report" TEXT NOT NULL,
    "accuracy" REAL NOT NULL,
    "logLoss" REAL NOT NULL,
    "ece" REAL NOT NULL,
    "clientRequestId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Evaluation_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Prediction" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "evaluationId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "label" INTEGER NOT NULL,
    "predicted" INTEGER NOT NULL,
    "confidence" REAL NOT NULL,
    "correct" BOOLEAN NOT NULL,
    "probabilities" TEXT NOT NULL,
    CONSTRAINT "Prediction_evaluationId_fkey" FOREIGN KEY ("evaluationId") REFERENCES "Evaluation" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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

