'use client';

import { useEffect, useState } from 'react';

/** Copies `text` to the clipboard; says so for a moment (announced to screen readers). */
export function CopyButton({
  text,
  label = 'Copy',
  'data-testid': testId,
}: {
  text: string;
  label?: string;
  'data-testid'?: string;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const t = setTimeout(() => setState('idle'), 2500);
    return () => clearTimeout(t);
  }, [state]);

  const copy = async () => {
    try {
      // The async clipboard exists only in secure contexts (https, localhost).
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };

  return (
    <>
      <button type="button" className="btn" onClick={() => void copy()} data-testid={testId}>
        {label}
      </button>
      <span className="copy-status" role="status" aria-live="polite">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select the text and copy it' : ''}
      </span>
    </>
  );
}
