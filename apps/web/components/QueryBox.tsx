'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState, type Ref } from 'react';

/** Example shown as the placeholder of the query box. */
export const QUERY_EXAMPLE =
  'hp.learningRate < 0.01 and (best.val_accuracy >= 0.9 or tag = "baseline")';

/**
 * Query-language box above the runs table: Enter submits it into the URL (`?q=`), which the
 * server page sends as `RunFilter.query`. `error` is the API's QUERY_SYNTAX_ERROR message
 * (line:column plus a caret excerpt), shown monospace under the box. `inputRef` reaches the
 * input (the runs table's "/" shortcut focuses it).
 */
export function QueryBox({
  initial,
  error,
  inputRef,
}: {
  initial: string;
  error: string | null;
  inputRef?: Ref<HTMLInputElement>;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [text, setText] = useState(initial);

  function submit(value: string) {
    const params = new URLSearchParams(searchParams.toString());
    if (value.trim()) params.set('q', value.trim());
    else params.delete('q');
    // Another query is no longer the saved view that was picked.
    params.delete('view');
    const qs = params.toString();
    router.push(qs ? `${pathname}?${qs}` : pathname);
  }

  return (
    <form
      className="query-box"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        submit(text);
      }}
    >
      <div className="query-row">
        <input
          ref={inputRef}
          type="search"
          className={`query-input${error ? ' invalid' : ''}`}
          data-testid="run-query"
          aria-label="Run query"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'run-query-error' : undefined}
          placeholder={QUERY_EXAMPLE}
          title='Press "/" to focus'
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        {initial ? (
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setText('');
              submit('');
            }}
          >
            Clear query
          </button>
        ) : null}
      </div>
      {error ? (
        <pre className="query-error" id="run-query-error" role="alert" data-testid="query-error">
          {error}
        </pre>
      ) : null}
    </form>
  );
}
