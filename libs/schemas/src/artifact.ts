/** What the API answers about a stored artifact (uploads, listings), as its clients read it. */
import { z } from 'zod';

/** A stored artifact of a run: content-addressed, with the URL it is served from. */
export const artifactInfoSchema = z.object({
  name: z.string(),
  /** What it is: `model`, `weights`, `samples`, `image`, ... */
  kind: z.string(),
  /** Hex SHA-256 of the bytes (the content address). */
  sha256: z.string(),
  bytes: z.number(),
  url: z.string(),
});
/** See {@link artifactInfoSchema}. */
export type ArtifactInfo = z.infer<typeof artifactInfoSchema>;
