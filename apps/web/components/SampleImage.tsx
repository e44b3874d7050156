import { hasImage, sampleImageUrl, sampleScale } from '../lib/samples';
import type { SampleImages } from '../lib/queries';

/**
 * One evaluated image, fetched as PNG from the API and upscaled by an integer factor on the
 * server; `image-rendering: pixelated` keeps it crisp if the browser scales it further.
 * A placeholder when the run stored no image for this sample.
 */
export function SampleImage({
  runId,
  samples,
  index,
  alt,
}: {
  runId: string;
  samples: SampleImages | null;
  index: number;
  alt: string;
}) {
  if (!samples || !hasImage(samples, index)) {
    return (
      <div className="sample-image missing" data-testid="sample-missing" title="No stored image">
        no image
      </div>
    );
  }
  const scale = sampleScale(samples);
  // A plain <img>: tiny API-served PNGs that next/image would only re-encode.
  return (
    <img
      className="sample-image"
      data-testid="sample-image"
      src={sampleImageUrl(runId, index, scale)}
      width={samples.width * scale}
      height={samples.height * scale}
      alt={alt}
      loading="lazy"
      decoding="async"
    />
  );
}

/** What a gallery tile needs to show one classified sample: where its image lives and the class names. */
export interface SampleSource {
  runId: string;
  samples: SampleImages | null;
  name: (c: number) => string;
}

/** A classified sample's image, its alt text naming the true and the predicted class. */
export function PredictedSampleImage({
  runId,
  samples,
  name,
  sample: s,
}: SampleSource & { sample: { index: number; label: number; predicted: number } }) {
  return (
    <SampleImage
      runId={runId}
      samples={samples}
      index={s.index}
      alt={`sample ${s.index}: ${name(s.label)} predicted as ${name(s.predicted)}`}
    />
  );
}
