import type { ReactNode } from 'react';

/** The explanation methods of the dashboard and the explain worker: all run a TF.js model. */
export const TFJS_ONLY_METHODS = [
  'Grad-CAM',
  'saliency maps',
  'LIME',
  'layer activations',
  'filters',
] as const;

/** The artifact fields the model note reads (any artifact list of the run). */
export interface ModelArtifactLike {
  name: string;
  url?: string;
}

/** The run's model as its artifacts show it: a TF.js model.json, or another stored format. */
export interface RunModelFiles {
  /** True when the run stored a TF.js model (model.json), which the explanations run. */
  tfjs: boolean;
  /** A model in another format (ONNX from a Python run), when there is no TF.js one. */
  other: { format: string; name: string; url?: string } | null;
}

/** Reads a run's model from its artifact names (model.json: TF.js; *.onnx: ONNX). */
export function runModelFiles(artifacts: readonly ModelArtifactLike[]): RunModelFiles {
  if (artifacts.some((a) => a.name === 'model.json')) return { tfjs: true, other: null };
  const onnx = artifacts.find((a) => a.name.toLowerCase().endsWith('.onnx'));
  return {
    tfjs: false,
    other: onnx ? { format: 'ONNX', name: onnx.name, url: onnx.url } : null,
  };
}

/**
 * Says which views need a TF.js model, for a run that has none (a PyTorch run logged through the
 * Python client, a run still training): Grad-CAM, saliency, LIME, activations and filters run a
 * TF.js model, while evaluation, compare and the sample galleries read the stored predictions.
 * Renders nothing when the run has a TF.js model.
 */
export function TfjsModelRequired({
  artifacts,
  compact = false,
}: {
  artifacts: readonly ModelArtifactLike[];
  /** One line (the run page; nothing unless another format is stored) instead of the full note. */
  compact?: boolean;
}) {
  const model = runModelFiles(artifacts);
  // On the run page only a model in another format is worth a line (a TF.js run may still train).
  if (model.tfjs || (compact && !model.other)) return null;
  const stored: ReactNode = model.other ? (
    <>
      This run&apos;s model is {model.other.format} (
      {model.other.url ? <a href={model.other.url}>{model.other.name}</a> : model.other.name}), not
      TF.js.
    </>
  ) : (
    <>This run has no TF.js model (model.json).</>
  );
  const methods = TFJS_ONLY_METHODS.join(', ');
  if (compact)
    return (
      <p className="meta" data-testid="tfjs-model-required" data-model-format={model.other?.format}>
        {stored} {methods} need a TF.js model; evaluation, compare and samples work.
      </p>
    );
  return (
    <div
      className="empty"
      data-testid="tfjs-model-required"
      data-model-format={model.other?.format ?? ''}
    >
      <div className="empty-title">Explanations need a TF.js model</div>
      <div>
        {stored} {methods.charAt(0).toUpperCase() + methods.slice(1)} run a TF.js model in the
        dashboard and the explain worker, so they are not available for this run. Its evaluation,
        the comparison with other runs and the sample galleries work: they read the stored
        predictions and images.
      </div>
    </div>
  );
}
