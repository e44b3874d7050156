-- AlterTable
ALTER TABLE "Run" ADD COLUMN "modelArtifact" TEXT;
ALTER TABLE "Run" ADD COLUMN "modelFormat" TEXT;
