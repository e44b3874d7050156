-- Job kinds (IMAGE: an explanation of one image; PROJECTION: a run's embedding projector) and
-- where an IMAGE job's image came from (JSON { split, index } for a stored sample; null for an
-- upload). Image columns stay NOT NULL (SQLite cannot relax them without a table rebuild): a job
-- without an image stores '' and 0 there, and the API reports null.
ALTER TABLE "ExplanationJob" ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'IMAGE';
ALTER TABLE "ExplanationJob" ADD COLUMN "source" TEXT;
