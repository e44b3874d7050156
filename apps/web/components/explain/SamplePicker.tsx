'use client';
import { formatPercent } from '@convscope/viz';
import { useState, type FormEvent, type ReactNode } from 'react';
import type { SampleSearch } from '../../lib/explain-sample';
import type { SampleImages } from '../../lib/queries';
import { LoadMore } from '../LoadMore';
import { SampleImage } from '../SampleImage';
import { useSampleSearch, type FoundSample } from './use-sample-search';
import styles from '../Explain.module.css';

type By = SampleSearch['by'];

const BY_LABELS: Record<By, string> = {
  index: 'Index',
  label: 'True class',
  predicted: 'Predicted class',
  cell: 'Confusion cell (true × predicted)',
  confidence: 'Confidence',
};

/** The default search of each kind (classes start at the first). */
function defaultSearch(by: By): SampleSearch {
  switch (by) {
    case 'index':
      return { by, index: null };
    case 'label':
      return { by, label: 0 };
    case 'predicted':
      return { by, predicted: 0 };
    case 'cell':
      return { by, label: 0, predicted: 1 };
    case 'confidence':
      return { by, min: 0, max: 1, order: 'least', misclassifiedOnly: false };
  }
}

/** Props of {@link SamplePicker}. */
export interface SamplePickerProps {
  runId: string;
  classNames: readonly string[];
  samples: SampleImages | null;
  /** Test samples in the split (bounds the index search); null when unknown. */
  count: number | null;
  /** The sample shown now. */
  selected: number | null;
  onPick: (sample: { index: number; found: FoundSample | null }) => void;
}

/**
 * Searches the whole test split: by index, by true or predicted class, by confusion cell or by
 * confidence range (most or least confident first), a page of thumbnails at a time.
 */
export function SamplePicker(props: SamplePickerProps) {
  const { runId, classNames, samples } = props;
  const [search, setSearch] = useState<SampleSearch>(() => defaultSearch('confidence'));
  const pages = useSampleSearch(runId, search);
  const name = (c: number) => classNames[c] ?? `class ${c}`;
  return (
    <div className={styles.search} data-testid="sample-search">
      <SearchControls {...props} search={search} onSearch={setSearch} />
      {search.by === 'index' ? null : (
        <>
          <p className="meta" role="status" data-testid="sample-search-count">
            {pages.totalCount === null
              ? 'Searching…'
              : `${pages.totalCount.toLocaleString('en-US')} matching test sample${pages.totalCount === 1 ? '' : 's'}`}
          </p>
          {pages.error ? (
            <div className="muted" role="alert">
              Could not search the samples: {pages.error}
            </div>
          ) : null}
          <ul className={styles.found} data-testid="sample-search-results">
            {pages.nodes.map((p) => (
              <li key={p.index}>
                <button
                  type="button"
                  className={`${styles.pick} ${p.index === props.selected ? styles.active : ''} ${p.correct ? '' : styles.wrong}`}
                  data-sample={p.index}
                  aria-pressed={p.index === props.selected}
                  onClick={() => props.onPick({ index: p.index, found: p })}
                >
                  <SampleImage
                    runId={runId}
                    samples={samples}
                    index={p.index}
                    alt={`test sample ${p.index}: ${name(p.label)} predicted as ${name(p.predicted)}`}
                  />
                  <span>
                    #{p.index} {name(p.label)}
                    {p.correct ? '' : ` → ${name(p.predicted)}`}
                  </span>
                  <span className="meta num">{formatPercent(p.confidence, 1)}</span>
                </button>
              </li>
            ))}
          </ul>
          <LoadMore
            loading={pages.loading}
            hasMore={pages.hasMore}
            left={(pages.totalCount ?? 0) - pages.nodes.length}
            onLoadMore={pages.loadMore}
            testId="sample-search-more"
          />
        </>
      )}
    </div>
  );
}

/** A class `<select>` listing every class. */
function ClassSelect({
  label,
  value,
  classNames,
  testId,
  onChange,
}: {
  label: string;
  value: number;
  classNames: readonly string[];
  testId: string;
  onChange: (c: number) => void;
}) {
  return (
    <label>
      {label}{' '}
      <select data-testid={testId} value={value} onChange={(e) => onChange(Number(e.target.value))}>
        {classNames.map((n, c) => (
          <option key={c} value={c}>
            {n}
          </option>
        ))}
      </select>
    </label>
  );
}

/** "Search by" and the inputs of the chosen kind of search. */
function SearchControls({
  search,
  onSearch,
  classNames,
  count,
  onPick,
}: SamplePickerProps & { search: SampleSearch; onSearch: (s: SampleSearch) => void }) {
  let fields: ReactNode;
  const cls = (label: string, value: number, testId: string, set: (c: number) => SampleSearch) => (
    <ClassSelect
      label={label}
      value={value}
      classNames={classNames}
      testId={testId}
      onChange={(c) => onSearch(set(c))}
    />
  );
  switch (search.by) {
    case 'index':
      fields = <IndexField count={count} onPick={(index) => onPick({ index, found: null })} />;
      break;
    case 'label':
      fields = cls('True class', search.label, 'search-label', (label) => ({ ...search, label }));
      break;
    case 'predicted':
      fields = cls('Predicted class', search.predicted, 'search-predicted', (predicted) => ({
        ...search,
        predicted,
      }));
      break;
    case 'cell':
      fields = (
        <>
          {cls('True class', search.label, 'search-label', (label) => ({ ...search, label }))}
          {cls('Predicted class', search.predicted, 'search-predicted', (predicted) => ({
            ...search,
            predicted,
          }))}
        </>
      );
      break;
    case 'confidence':
      fields = <ConfidenceFields search={search} onSearch={onSearch} />;
      break;
  }
  return (
    <div className={styles.controls}>
      <label>
        Search by{' '}
        <select
          data-testid="search-by"
          value={search.by}
          onChange={(e) => onSearch(defaultSearch(e.target.value as By))}
        >
          {(Object.keys(BY_LABELS) as By[]).map((b) => (
            <option key={b} value={b}>
              {BY_LABELS[b]}
            </option>
          ))}
        </select>
      </label>
      {fields}
    </div>
  );
}

/** The confidence range (in percent), the order and "mistakes only". */
function ConfidenceFields({
  search,
  onSearch,
}: {
  search: Extract<SampleSearch, { by: 'confidence' }>;
  onSearch: (s: SampleSearch) => void;
}) {
  const pct = (x: number) => Math.round(x * 100);
  return (
    <>
      <label>
        From{' '}
        <input
          type="number"
          min={0}
          max={100}
          step={1}
          className={styles.number}
          data-testid="search-min"
          value={pct(search.min)}
          onChange={(e) => onSearch({ ...search, min: Number(e.target.value) / 100 })}
        />{' '}
        %
      </label>
      <label>
        to{' '}
        <input
          type="number"
          min={0}
          max={100}
          step={1}
          className={styles.number}
          data-testid="search-max"
          value={pct(search.max)}
          onChange={(e) => onSearch({ ...search, max: Number(e.target.value) / 100 })}
        />{' '}
        %
      </label>
      <label>
        Order{' '}
        <select
          data-testid="search-order"
          value={search.order}
          onChange={(e) => onSearch({ ...search, order: e.target.value as 'most' | 'least' })}
        >
          <option value="least">least confident first</option>
          <option value="most">most confident first</option>
        </select>
      </label>
      <label>
        <input
          type="checkbox"
          data-testid="search-mistakes"
          checked={search.misclassifiedOnly}
          onChange={(e) => onSearch({ ...search, misclassifiedOnly: e.target.checked })}
        />{' '}
        mistakes only
      </label>
    </>
  );
}

/** A sample index typed in, opened with Enter or the button (bounded by the split's size). */
function IndexField({ count, onPick }: { count: number | null; onPick: (index: number) => void }) {
  const [text, setText] = useState('');
  const n = Number(text);
  const max = count === null ? null : count - 1;
  const valid = text !== '' && Number.isInteger(n) && n >= 0 && (max === null || n <= max);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (valid) onPick(n);
  };
  return (
    <form className={styles.inline} onSubmit={submit}>
      <label>
        Sample index{max === null ? '' : ` (0–${max})`}{' '}
        <input
          type="number"
          min={0}
          max={max ?? undefined}
          step={1}
          className={styles.number}
          data-testid="search-index"
          value={text}
          aria-invalid={text !== '' && !valid}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      <button type="submit" className="btn" data-testid="search-index-open" disabled={!valid}>
        Open
      </button>
    </form>
  );
}
