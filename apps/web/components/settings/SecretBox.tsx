'use client';

import { useEffect, useRef, type ReactNode } from 'react';
import { CopyButton } from './CopyButton';

/**
 * A secret or one-time link shown once: read-only, selected on focus, with a copy button, a
 * note and a Done button that hides it for good. Focus moves here when it appears.
 */
export function SecretBox({
  title,
  value,
  children,
  onDone,
  'data-testid': testId,
}: {
  title: string;
  value: string;
  children?: ReactNode;
  onDone: () => void;
  'data-testid'?: string;
}) {
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
  }, [value]);
  return (
    <div className="secret-box" role="region" aria-label={title} data-testid={testId}>
      <div className="secret-title">{title}</div>
      <div className="secret-row">
        <input
          ref={inputRef}
          className="text-input mono secret-value"
          readOnly
          value={value}
          aria-label={title}
          onFocus={(e) => e.currentTarget.select()}
          data-testid={testId ? `${testId}-value` : undefined}
        />
        <CopyButton text={value} data-testid={testId ? `${testId}-copy` : undefined} />
      </div>
      {children ? <div className="secret-note">{children}</div> : null}
      <div>
        <button type="button" className="btn" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
