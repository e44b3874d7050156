'use client';
// "Explain your image": upload a PNG or JPEG to a run, get its top-k prediction, what was done
// to the image to fit the model, several methods' maps side by side with their faithfulness
// (alpha slider), and a layer's activation grid whose tiles open large. The API queues the job
// and a worker computes it; the page long-polls until it is done.
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { LayerOption } from '../lib/explain-image';
import { ExplainFields, type ExplainFormValues } from './explain-image/ExplainFields';
import { ExplainResults } from './explain-image/ExplainResults';
import { UploadDrop } from './explain-image/UploadDrop';
import { explainMethodsUrl } from './explain-image/result-shaping';
import { useExplainJob } from './explain-image/use-explain-job';
import styles from './ExplainImage.module.css';

/** Hydration as an external store: false on the server and while hydrating, true after. */
const noSubscription = () => () => {};
const hydrated = () => true;
const notHydrated = () => false;

/** The page body. */
export function ExplainImageView({
  runId,
  classNames,
  camLayers,
  layers,
  hasModel,
}: {
  runId: string;
  classNames: string[];
  camLayers: LayerOption[];
  layers: LayerOption[];
  hasModel: boolean;
}) {
  const job = useExplainJob();
  const { file, preview, pick } = useUploadedImage({ onPick: job.clear });
  const [form, setForm] = useState<ExplainFormValues>(() => ({
    methods: ['gradcam', 'saliency'],
    classIndex: '',
    layer: '',
    activationsLayer: '',
    topK: Math.min(5, Math.max(1, classNames.length || 5)),
  }));
  const [alpha, setAlpha] = useState(0.5);
  // True once hydrated: before that the file input has no handler (browser tests wait for it).
  const ready = useSyncExternalStore(noSubscription, hydrated, notHydrated);

  function explain() {
    if (!file) return;
    const url = explainMethodsUrl(runId, {
      methods: form.methods,
      classIndex: form.classIndex === '' ? null : Number(form.classIndex),
      layer: form.layer || null,
      activationsLayer: form.activationsLayer || null,
      topK: form.topK,
      wait: 20,
    });
    void job.explain(file, url);
  }

  const r = job.result?.job.result ?? null;
  return (
    <div className={styles.page} data-testid="explain-image" data-ready={ready ? '1' : undefined}>
      {!hasModel ? (
        <div className="alert alert-error" role="alert" data-testid="explain-no-model">
          This run has no stored model (model.json and weights.bin are written when training
          completes), so it cannot explain images.
        </div>
      ) : null}
      <div className={styles.controls}>
        <UploadDrop file={file} preview={preview} onPick={pick} />
        <ExplainFields
          values={form}
          onChange={(patch) => setForm((f) => ({ ...f, ...patch }))}
          classNames={classNames}
          camLayers={camLayers}
          layers={layers}
          canSubmit={Boolean(file) && hasModel && job.status === null}
          status={job.status}
          onSubmit={explain}
        />
      </div>
      {job.error ? (
        <div className="alert alert-error" role="alert" data-testid="explain-error">
          {job.error}
        </div>
      ) : null}
      {r && preview ? (
        <ExplainResults
          r={r}
          cached={job.result?.cached}
          preview={preview}
          alpha={alpha}
          onAlpha={setAlpha}
        />
      ) : null}
    </div>
  );
}

/**
 * The chosen image and its preview (an object URL, revoked when replaced or unmounted);
 * `pick` ignores an empty choice and calls `onPick` for a new image.
 */
function useUploadedImage({ onPick }: { onPick: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  useEffect(() => {
    if (!preview) return;
    return () => URL.revokeObjectURL(preview);
  }, [preview]);
  const pick = useCallback(
    (f: File | null | undefined) => {
      if (!f) return;
      setFile(f);
      setPreview(URL.createObjectURL(f));
      onPick();
    },
    [onPick],
  );
  return { file, preview, pick };
}
