// One thread of the SQLite read pool (sqlite-read-pool.ts): a read-only better-sqlite3
// connection to the database file that runs the SELECTs it is sent, one at a time, and posts
// back the rows or the error. WAL mode lets it read while the API's own connection writes.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** What the pool hands a thread at start. */
export interface ReadWorkerData {
  filePath: string;
  busyTimeoutMs: number;
}

/** A statement to run. */
export interface ReadRequest {
  id: number;
  text: string;
  params: unknown[];
}

/** Its answer. */
export type ReadReply =
  { id: number; rows: Record<string, unknown>[] } | { id: number; error: string };

const data = workerData as ReadWorkerData;
// query_only rather than readonly: a read-only connection cannot create the WAL index (-shm).
const db = new Database(data.filePath, { fileMustExist: true });
db.pragma('query_only = ON');
db.pragma(`busy_timeout = ${Math.max(0, Math.floor(data.busyTimeoutMs))}`);
/** Prepared statements by text (the runs query reuses a handful of shapes). */
const statements = new Map<string, Database.Statement>();

/** better-sqlite3 binds no booleans (Prisma's adapter sends them as 1/0). */
const bindable = (v: unknown): unknown => (typeof v === 'boolean' ? (v ? 1 : 0) : v);

function run(req: ReadRequest): ReadReply {
  try {
    let stmt = statements.get(req.text);
    if (!stmt) {
      stmt = db.prepare(req.text);
      if (statements.size > 200) statements.clear();
      statements.set(req.text, stmt);
    }
    if (!stmt.reader) return { id: req.id, error: 'the read pool runs only statements that read' };
    const rows = stmt.all(...req.params.map(bindable)) as Record<string, unknown>[];
    return { id: req.id, rows };
  } catch (err) {
    return { id: req.id, error: err instanceof Error ? err.message : String(err) };
  }
}

parentPort?.on('message', (req: ReadRequest | 'close') => {
  if (req === 'close') {
    db.close();
    parentPort?.close();
    return;
  }
  parentPort?.postMessage(run(req));
});
parentPort?.postMessage('ready');
