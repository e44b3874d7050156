'use client';
import { useCallback, useRef, useState } from 'react';
import { errorMessage, jobUrl, type ExplainJob } from '../../lib/explain-image';

/** The latest explain request as the page shows it. */
export interface ExplainJobState {
  /** Progress text while a request runs ("Uploading…", "Computing (queued)…"); null when idle. */
  status: string | null;
  error: string | null;
  result: { job: ExplainJob; cached: boolean } | null;
  /**
   * Uploads `file` to `url` (the request's parameters in its query) and long-polls its job until
   * it is done or failed; a later call makes an earlier one's answer ignored.
   */
  explain(file: File, url: string): Promise<void>;
  /** Drops the shown result and error (another image was chosen). */
  clear(): void;
}

type Body = { job?: ExplainJob; cached?: boolean; message?: string } | null;

/** Runs explain jobs against the API: upload, long-poll, then result or error. */
export function useExplainJob(): ExplainJobState {
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ExplainJobState['result']>(null);
  const request = useRef(0);

  const explain = useCallback(async (file: File, url: string) => {
    const id = ++request.current;
    setError(null);
    setResult(null);
    setStatus('Uploading…');
    try {
      let res = await fetch(url, {
        method: 'POST',
        // The API decodes the bytes itself; an unknown type is refused there with a clear message.
        headers: { 'content-type': file.type || 'application/octet-stream' },
        body: file,
      });
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
  }, []);

  const clear = useCallback(() => {
    setResult(null);
    setError(null);
  }, []);

  return { status, error, result, explain, clear };
}
