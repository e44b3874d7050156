import { artifactHref } from './ArtifactsTable';
import type { Artifact } from '../lib/queries';

/**
 * The images a run stored (artifacts of kind `image`, e.g. `augmentation-grid.png`), shown as
 * images above the artifacts table; nothing when there are none.
 */
export function ArtifactImages({ runId, artifacts }: { runId: string; artifacts: Artifact[] }) {
  const images = artifacts.filter((a) => a.kind === 'image' && a.mimeType.startsWith('image/'));
  if (images.length === 0) return null;
  return (
    <section className="card" data-testid="artifact-images">
      <div className="card-header">
        <h2>Images</h2>
        <span className="meta">stored with the run</span>
      </div>
      <div className="card-body artifact-images">
        {images.map((a) => (
          <figure key={a.id} className="artifact-image" data-name={a.name}>
            {/* A plain <img>: the API serves the stored PNG as is. */}
            <img src={artifactHref(runId, a.name)} alt={a.name} loading="lazy" />
            <figcaption className="mono">{a.name}</figcaption>
          </figure>
        ))}
      </div>
    </section>
  );
}
