// A proxy in front of the test API that forwards every request but swallows the answer to the
// first call of one mutation, as a network failure after the server has committed would: the
// client sees a 502 and retries, and the tests check the server stored the effect only once.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What {@link startDroppingProxy} needs. */
export interface DroppingProxyOptions {
  /** The API's http://host:port that requests are forwarded to. */
  base: string;
  /** The GraphQL operation (found in the request body) whose first answer is lost. */
  dropFirst: string;
}

/** A started proxy and what it has seen. */
export interface DroppingProxy {
  /** http://127.0.0.1:<port>, to give clients as their apiUrl. */
  url: string;
  /** How many answers were swallowed (at most 1). */
  dropped(): number;
  /** How many requests named the `dropFirst` operation, the retries included. */
  matched(): number;
  close(): void;
}

/** Forwards one request upstream and answers it, unless `drop` says this answer is lost. */
async function forward(
  base: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  drop: (body: string) => boolean,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const upstream = await fetch(`${base}${req.url}`, {
    method: req.method,
    headers: {
      'content-type': req.headers['content-type'] ?? 'application/json',
      authorization: req.headers.authorization ?? '',
    },
    body: req.method === 'GET' ? undefined : body,
  });
  const text = await upstream.text();
  // The upstream call has completed (and committed) before the answer is dropped.
  if (drop(body.toString())) {
    res.writeHead(502).end('bad gateway');
    return;
  }
  res
    .writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/json',
    })
    .end(text);
}

/** Starts a proxy that loses the answer to the first `dropFirst` request it forwards. */
export async function startDroppingProxy({
  base,
  dropFirst,
}: DroppingProxyOptions): Promise<DroppingProxy> {
  let dropped = 0;
  let matched = 0;
  const drop = (body: string): boolean => {
    if (!body.includes(dropFirst)) return false;
    matched++;
    if (dropped > 0) return false;
    dropped++;
    return true;
  };
  const proxy = http.createServer((req, res) => {
    forward(base, req, res, drop).catch((err: unknown) => {
      res.writeHead(500).end(String(err));
    });
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  const { port } = proxy.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    dropped: () => dropped,
    matched: () => matched,
    close: () => proxy.close(),
  };
}
