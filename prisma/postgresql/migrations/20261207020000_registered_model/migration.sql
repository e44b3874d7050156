-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "modelArtifact" TEXT,
ADD COLUMN     "modelFormat" TEXT;
