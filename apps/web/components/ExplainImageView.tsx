'use client';
// "Explain your image": upload a PNG or JPEG to a run, get its top-k prediction, a class
// activation map blended over the image on a canvas (alpha slider), and a layer's activation
// grid. The API queues the job and a worker computes it; the page long-polls until it is done.
import {
  useCallback,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type DragEvent,
} from 'react';
import {
  CAM_METHODS,
  errorMessage,
  explainUrl,
  heatmapRgba,
  jobUrl,
  type ExplainJob,
  type ExplainResult,
  type LayerOption,
} from '../lib/explain-image';
import styles from './ExplainImage.module.css';

/** Hydration as an external store: false on the server and while hydrating, true after. */
const noSubscription = () => () => {};
const hydrated = () => true;
const notHydrated = () => false;

/** Side of the overlay canvas in CSS pixels. */
const VIEW = 280;

/** Blends the heatmap over the image as the model saw it (resized to its input). */
function Overlay({
  imageUrl,
  heatmap,
  alpha,
}: {
  imageUrl: string;
  heatmap: number[][];
  alpha: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    const w = heatmap[0]?.length ?? 0;
    if (!c || !ctx || w === 0) return;
    const h = heatmap.length;
    c.width = VIEW;
    c.height = Math.round((VIEW * h) / w);
    const heat = document.createElement('canvas');
    heat.width = w;
    heat.height = h;
    heat.getContext('2d')!.putImageData(new ImageData(heatmapRgba(heatmap), w, h), 0, 0);
    const img = new Image();
    let cancelled = false;
    img.onload = () => {
      if (cancelled) return;
      ctx.clearRect(0, 0, c.width, c.height);
      ctx.globalAlpha = 1;
      // The model sees the image stretched to its input; so does the overlay.
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(img, 0, 0, c.width, c.height);
      ctx.globalAlpha = alpha;
      ctx.drawImage(heat, 0, 0, c.width, c.height);
      ctx.globalAlpha = 1;
      c.dataset.drawn = String(alpha);
    };
    img.src = imageUrl;
    return () => {
      cancelled = true;
    };
  }, [imageUrl, heatmap, alpha]);
  return (
    <canvas
      ref={canvas}
      className={styles.overlay}
      data-testid="explain-overlay"
      aria-label="Image with the class activation map blended over it"
    />
  );
}

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
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [method, setMethod] = useState('gradcam');
  const [classIndex, setClassIndex] = useState('');
  const [layer, setLayer] = useState('');
  const [activationsLayer, setActivationsLayer] = useState('');
  const [topK, setTopK] = useState(Math.min(5, Math.max(1, classNames.length || 5)));
  const [alpha, setAlpha] = useState(0.5);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<{ job: ExplainJob; cached: boolean } | null>(null);
  const [dragging, setDragging] = useState(false);
  const request = useRef(0);
  // True once hydrated: before that the file input has no handler (browser tests wait for it).
  const ready = useSyncExternalStore(noSubscription, hydrated, notHydrated);

  // The preview's object URL lives as long as it is shown: revoked when replaced or unmounted.
  useEffect(() => {
    if (!preview) return;
    return () => URL.revokeObjectURL(preview);
  }, [preview]);

  const pick = useCallback((f: File | null | undefined) => {
    if (!f) return;
    setFile(f);
    setPreview(URL.createObjectURL(f));
    setResult(null);
    setError(null);
  }, []);

  const onDrop = (e: DragEvent<HTMLLabelElement>) => {
    e.preventDefault();
    setDragging(false);
    pick(e.dataTransfer.files?.[0]);
  };

  async function explain() {
    if (!file) return;
    const id = ++request.current;
    setError(null);
    setResult(null);
    setStatus('Uploading…');
    try {
      const url = explainUrl(runId, {
        method,
        classIndex: classIndex === '' ? null : Number(classIndex),
        layer: layer || null,
        activationsLayer: activationsLayer || null,
        topK,
        wait: 20,
      });
      let res = await fetch(url, {
        method: 'POST',
        // The API decodes the bytes itself; an unknown type is refused there with a clear message.
        headers: { 'content-type': file.type || 'application/octet-stream' },
        body: file,
      });
      type Body = { job?: ExplainJob; cached?: boolean; message?: string } | null;
      let body = (await res.json().catch(() => null)) as Body;
      // 202 (or a poll answering QUEUED/RUNNING): a worker has it; long-poll until it settles.
      while (
        res.ok &&
        body?.job &&
        (body.job.status === 'QUEUED' || body.job.status === 'RUNNING')
      ) {
        if (id !== request.current) return;
        setStatus(`Computing (${body.job.status.toLowerCase()})…`);
        res = await fetch(jobUrl(body.job.id, 20));
        body = (await res.json().catch(() => null)) as Body;
      }
      if (id !== request.current) return;
      setStatus(null);
      if (res.ok && body?.job?.status === 'DONE') {
        setResult({ job: body.job, cached: Boolean(body.cached) });
      } else if (body?.job?.status === 'FAILED') {
        setError(errorMessage(422, { message: body.job.error }));
      } else {
        setError(errorMessage(res.status, body));
      }
    } catch (err) {
      if (id !== request.current) return;
      setError(`Network error: ${(err as Error).message}`);
      setStatus(null);
    }
  }

  const r: ExplainResult | null = result?.job.result ?? null;
  return (
    <div className={styles.page} data-testid="explain-image" data-ready={ready ? '1' : undefined}>
      {!hasModel ? (
        <div className="alert alert-error" role="alert" data-testid="explain-no-model">
          This run has no stored model (model.json and weights.bin are written when training
          completes), so it cannot explain images.
        </div>
      ) : null}
      <div className={styles.controls}>
        <label
          className={`${styles.drop}${dragging ? ` ${styles.dragging}` : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
          data-testid="explain-drop"
        >
          {preview ? (
            // A plain <img>: a local object URL.
            <img src={preview} alt="Uploaded image" className={styles.preview} />
          ) : (
            <span>Drop a PNG or JPEG here, or click to choose one</span>
          )}
          <input
            type="file"
            accept="image/png,image/jpeg"
            data-testid="explain-file"
            onChange={(e) => pick(e.target.files?.[0])}
          />
          {file ? (
            <span className="meta">
              {file.name} · {(file.size / 1024).toFixed(1)} KiB
            </span>
          ) : null}
        </label>
        <div className={styles.fields}>
          <label>
            Method
            <select
              value={method}
              onChange={(e) => setMethod(e.target.value)}
              data-testid="explain-method"
            >
              {CAM_METHODS.map((m) => (
                <option key={m.value} value={m.value}>
                  {m.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            Class
            <select
              value={classIndex}
              onChange={(e) => setClassIndex(e.target.value)}
              data-testid="explain-class"
            >
              <option value="">Predicted class</option>
              {classNames.map((n, i) => (
                <option key={i} value={i}>
                  {i}: {n}
                </option>
              ))}
            </select>
          </label>
          <label>
            CAM layer
            <select
              value={layer}
              onChange={(e) => setLayer(e.target.value)}
              data-testid="explain-layer"
            >
              <option value="">Last convolutional (default)</option>
              {camLayers.map((l) => (
                <option key={l.name} value={l.name}>
                  {l.name} ({l.shape.join('×')})
                </option>
              ))}
            </select>
          </label>
          <label>
            Activations of
            <select
              value={activationsLayer}
              onChange={(e) => setActivationsLayer(e.target.value)}
              data-testid="explain-activations-layer"
            >
              <option value="">The CAM layer</option>
              {layers.map((l) => (
                <option key={l.name} value={l.name}>
                  {l.name} ({l.shape.join('×')})
                </option>
              ))}
            </select>
          </label>
          <label>
            Top k
            <input
              type="number"
              min={1}
              max={Math.max(1, classNames.length || 100)}
              value={topK}
              onChange={(e) => setTopK(Math.max(1, Number(e.target.value) || 1))}
            />
          </label>
          <button
            type="button"
            className="btn btn-primary"
            disabled={!file || !hasModel || status !== null}
            onClick={() => void explain()}
            data-testid="explain-submit"
          >
            Explain
          </button>
          {status ? (
            <span className="meta" data-testid="explain-status">
              {status}
            </span>
          ) : null}
        </div>
      </div>
      {error ? (
        <div className="alert alert-error" role="alert" data-testid="explain-error">
          {error}
        </div>
      ) : null}
      {r && preview ? (
        <div className={styles.results} data-testid="explain-result">
          <section className="card">
            <div className="card-header">
              <h2>Prediction</h2>
              <span className="meta">
                {result?.cached ? 'cached' : 'computed'}
                {r.durationMs !== undefined ? ` in ${r.durationMs} ms` : ''}
              </span>
            </div>
            <div className="card-body">
              <ol className={styles.bars} data-testid="explain-topk">
                {r.predictions.map((p) => (
                  <li key={p.classIndex}>
                    <span className={styles.barLabel}>{p.className}</span>
                    <span className={styles.barTrack}>
                      <span
                        className={styles.barFill}
                        style={{ width: `${(p.probability * 100).toFixed(1)}%` }}
                      />
                    </span>
                    <span className={styles.barValue}>{(p.probability * 100).toFixed(1)}%</span>
                  </li>
                ))}
              </ol>
            </div>
          </section>
          <section className="card">
            <div className="card-header">
              <h2>{CAM_METHODS.find((m) => m.value === r.cam.method)?.label ?? r.cam.method}</h2>
              <span className="meta">
                class {r.cam.className} · layer {r.cam.layer}
              </span>
            </div>
            <div className="card-body">
              <Overlay imageUrl={preview} heatmap={r.cam.heatmap} alpha={alpha} />
              <label className={styles.slider}>
                Heatmap opacity {Math.round(alpha * 100)}%
                <input
                  type="range"
                  min={0}
                  max={1}
                  step={0.05}
                  value={alpha}
                  onChange={(e) => setAlpha(Number(e.target.value))}
                  data-testid="explain-alpha"
                />
              </label>
            </div>
          </section>
          <section className="card">
            <div className="card-header">
              <h2>Activations</h2>
              <span className="meta">
                {r.activations.layer} ({r.activations.shape.join('×')})
              </span>
            </div>
            <div className="card-body">
              {r.activations.grid ? (
                <figure className={styles.grid}>
                  {/* A plain <img>: the inline PNG from the worker. */}
                  <img
                    src={`data:image/png;base64,${r.activations.grid.pngBase64}`}
                    width={r.activations.grid.width}
                    height={r.activations.grid.height}
                    alt={r.activations.grid.caption}
                    data-testid="explain-grid"
                  />
                  <figcaption className="meta">{r.activations.grid.caption}</figcaption>
                </figure>
              ) : (
                <p className="meta">
                  {r.activations.shape.join('×')} values: not a spatial layer, no channel grid.
                  Strongest units:{' '}
                  {topUnits(r.activations.statistics.max)
                    .map((u) => `#${u.index} (${u.value.toFixed(2)})`)
                    .join(', ')}
                </p>
              )}
            </div>
          </section>
        </div>
      ) : null}
    </div>
  );
}

/** The five largest values with their indices. */
function topUnits(values: number[]): { index: number; value: number }[] {
  return values
    .map((value, index) => ({ index, value }))
    .sort((a, b) => b.value - a.value)
    .slice(0, 5);
}
