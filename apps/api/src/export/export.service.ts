// Exports of a run's data as CSV/JSON documents, produced as async chunk streams read page by
// page from the database (constant memory, whatever the size of the run).
import { apiError, ErrorCode } from '../common/errors';
import { parseJsonColumn } from '../common/json';
import {
  parseReport,
  toEvaluationModel,
  type EvaluationModel,
} from '../evaluation/evaluation.service';
import type { EvaluationRepository } from '../evaluation/evaluation.repository';
import type { MetricRepository } from '../metric/metric.repository';
import type { RunModel } from '../run/run.model';
import type { RunService } from '../run/run.service';

/** Rows read per database page. */
export const EXPORT_PAGE = 5000;

/** One field of an RFC 4180 record: quoted (quotes doubled) when it holds a comma, quote, CR or LF. */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Headers of the predictions CSV's probability columns: `p_<class name>` per class, in class
 * order. Control characters (CR, LF, tab…) in a name become spaces and runs of whitespace one
 * space, so a header stays on one line in every spreadsheet; commas and quotes are left to
 * {@link csvField}'s quoting. The `p_` prefix keeps a name like `=SUM(A1)` from reading as a
 * formula and from clashing with the fixed columns. A class without a usable name (missing,
 * empty after cleaning) falls back to its index (`p_3`), and a header that repeats an earlier one
 * gets `_2`, `_3`, … until it is unique.
 */
export function probabilityColumns(classNames: readonly string[], numClasses: number): string[] {
  const taken = new Set<string>();
  return Array.from({ length: numClasses }, (_, c) => {
    const cleaned = (classNames[c] ?? '').replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();
    const base = `p_${cleaned || String(c)}`;
    let header = base;
    for (let n = 2; taken.has(header); n++) header = `${base}_${n}`;
    taken.add(header);
    return header;
  });
}

/** One RFC 4180 record, CRLF-terminated. */
export function csvRecord(
  fields: readonly (string | number | boolean | null | undefined)[],
): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** A download: its file name, content type and body chunks. */
export interface ExportDocument {
  filename: string;
  contentType: string;
  chunks: AsyncIterable<string>;
}

/** A safe file-name stem from a run name. */
function stem(run: RunModel): string {
  const s = run.name
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, 100);
  return s || run.id;
}

/** The export use cases. */
export class ExportService {
  constructor(
    private readonly runs: RunService,
    private readonly metricRepo: MetricRepository,
    private readonly evaluationRepo: EvaluationRepository,
  ) {}

  /** Every metric point of the run (name, step, value, time), in (name, step) order. */
  async metrics(runId: string, format: 'csv' | 'json'): Promise<ExportDocument> {
    const run = await this.runs.get(runId);
    const repo = this.metricRepo;
    async function* pages() {
      let after: { name: string; step: number } | null = null;
      for (;;) {
        const rows = await repo.pointsAfter(runId, after, EXPORT_PAGE);
        if (rows.length === 0) return;
        yield rows;
        if (rows.length < EXPORT_PAGE) return;
        const last = rows.at(-1);
        if (!last) return;
        after = { name: last.name, step: last.step };
      }
    }
    async function* csv() {
      yield csvRecord(['name', 'step', 'value', 'time']);
      for await (const rows of pages())
        yield rows.map((p) => csvRecord([p.name, p.step, p.value, p.time.toISOString()])).join('');
    }
    async function* json() {
      yield `{"runId":${JSON.stringify(run.id)},"runName":${JSON.stringify(run.name)},"points":[`;
      let first = true;
      for await (const rows of pages()) {
        const body = rows
          .map((p) =>
            JSON.stringify({
              name: p.name,
              step: p.step,
              value: p.value,
              time: p.time.toISOString(),
            }),
          )
          .join(',');
        yield first ? body : `,${body}`;
        first = false;
      }
      yield ']}\n';
    }
    return format === 'csv'
      ? {
          filename: `${stem(run)}-metrics.csv`,
          contentType: 'text/csv; charset=utf-8',
          chunks: csv(),
        }
      : {
          filename: `${stem(run)}-metrics.json`,
          contentType: 'application/json; charset=utf-8',
          chunks: json(),
        };
  }

  /** The latest evaluation of the run: its scalar fields and the full stored report. */
  async evaluation(runId: string): Promise<ExportDocument> {
    const { run, evaluation } = await this.latest(runId);
    const report = parseReport(
      (await this.evaluationRepo.reports([evaluation.id])).get(evaluation.id),
    );
    const body = `${JSON.stringify({ ...evaluation, runId: run.id, runName: run.name, createdAt: evaluation.createdAt.toISOString(), report }, null, 2)}\n`;
    async function* chunks() {
      yield body;
    }
    return {
      filename: `${stem(run)}-evaluation.json`,
      contentType: 'application/json; charset=utf-8',
      chunks: chunks(),
    };
  }

  /**
   * Per-sample predictions of the latest evaluation: index, label, predicted, confidence, then one
   * probability column per class named by {@link probabilityColumns} (`p_<class name>`).
   */
  async predictions(runId: string, format: 'csv' | 'json'): Promise<ExportDocument> {
    const { run, evaluation } = await this.latest(runId);
    const repo = this.evaluationRepo;
    async function* pages() {
      let after: number | null = null;
      for (;;) {
        const rows = await repo.predictionsAfter(evaluation.id, after, EXPORT_PAGE);
        if (rows.length === 0) return;
        yield rows.map((r) => ({ ...r, p: parseJsonColumn<number[]>(r.probabilities, []) }));
        if (rows.length < EXPORT_PAGE) return;
        after = rows.at(-1)?.index ?? null;
      }
    }
    const classes = evaluation.numClasses;
    async function* csv() {
      yield csvRecord([
        'index',
        'label',
        'predicted',
        'confidence',
        ...probabilityColumns(evaluation.classNames, classes),
      ]);
      for await (const rows of pages()) {
        yield rows
          .map((r) =>
            csvRecord([
              r.index,
              r.label,
              r.predicted,
              r.confidence,
              ...Array.from({ length: classes }, (_, c) => r.p[c]),
            ]),
          )
          .join('');
      }
    }
    async function* json() {
      const head = {
        runId: run.id,
        runName: run.name,
        evaluationId: evaluation.id,
        split: evaluation.split,
        classNames: evaluation.classNames,
      };
      yield `${JSON.stringify(head).slice(0, -1)},"predictions":[`;
      let first = true;
      for await (const rows of pages()) {
        const body = rows
          .map((r) =>
            JSON.stringify({
              index: r.index,
              label: r.label,
              predicted: r.predicted,
              confidence: r.confidence,
              probabilities: r.p,
            }),
          )
          .join(',');
        yield first ? body : `,${body}`;
        first = false;
      }
      yield ']}\n';
    }
    return format === 'csv'
      ? {
          filename: `${stem(run)}-predictions.csv`,
          contentType: 'text/csv; charset=utf-8',
          chunks: csv(),
        }
      : {
          filename: `${stem(run)}-predictions.json`,
          contentType: 'application/json; charset=utf-8',
          chunks: json(),
        };
  }

  private async latest(runId: string): Promise<{ run: RunModel; evaluation: EvaluationModel }> {
    const run = await this.runs.get(runId);
    const [row] = await this.evaluationRepo.findByRunIds([runId]);
    if (!row)
      throw apiError(ErrorCode.NOT_FOUND, `Run ${runId} has no evaluation`, {
        entity: 'Evaluation',
        id: runId,
      });
    return { run, evaluation: toEvaluationModel(row) };
  }
}
