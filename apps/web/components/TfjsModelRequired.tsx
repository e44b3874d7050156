import type { ReactNode } from 'react';

/** The explanation methods of the dashboard and the explain worker: all run a TF.js model. */
export const TFJS_ONLY_METHODS = [
  'Grad-CAM',
  'saliency maps',
  'LIME',
  'layer activations',
  'filters',
] as const;

/** The run's model as the API reports it (`Run.model`): null when it stored none. */
export interface RunModelLike {
  format: 'ONNX' | 'TFJS';
  artifactName: string;
  artifactUrl: string;
}

/**
 * Says which views need a TF.js model, for a run that has none (a PyTorch run logged through the
 * Python client, a run still training): Grad-CAM, saliency, LIME, activations and filters run a
 * TF.js model, while evaluation, compare and the sample galleries read the stored predictions.
 * Renders nothing when the run has a TF.js model.
 */
export function TfjsModelRequired({
  model,
  compact = false,
}: {
  model: RunModelLike | null;
  /** One line (the run page; nothing unless another format is stored) instead of the full note. */
  compact?: boolean;
}) {
  // On the run page only a model in another format is worth a line (a TF.js run may still train).
  if (model?.format === 'TFJS' || (compact && !model)) return null;
  const stored: ReactNode = model ? (
    <>
      This run&apos;s model is {model.format} (<a href={model.artifactUrl}>{model.artifactName}</a>
      ), not TF.js.
    </>
  ) : (
    <>This run has no TF.js model (model.json).</>
  );
  const methods = TFJS_ONLY_METHODS.join(', ');
  if (compact)
    return (
      <p className="meta" data-testid="tfjs-model-required" data-model-format={model?.format}>
        {stored} {methods} need a TF.js model; evaluation, compare and samples work.
      </p>
    );
  return (
    <div
      className="empty"
      data-testid="tfjs-model-required"
      data-model-format={model?.format ?? ''}
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
