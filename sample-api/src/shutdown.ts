import type { Server, ServerResponse } from 'node:http';

export type CloseServer = (timeoutMs: number) => Promise<{ forced: boolean }>;

/**
 * Returns a function that closes `server` gracefully: it stops accepting connections,
 * lets the requests in flight finish, and at `timeoutMs` cuts whatever is still open, so
 * shutdown ends before the orchestrator loses patience (Docker sends SIGKILL 10 s after
 * SIGTERM). It resolves with whether connections had to be cut.
 *
 * Call it right after creating the server: it needs to see every request.
 */
export function gracefulCloser(server: Server): CloseServer {
  const unanswered = new Set<ServerResponse>();
  let closing = false;

  // After a response Node keeps the connection open for the client's next request, which
  // would hold close() up for the whole keep-alive timeout. "Connection: close" makes it
  // end the connection as soon as the response is sent.
  const lastOnItsConnection = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  };

  server.on('request', (_req, res: ServerResponse) => {
    if (closing) lastOnItsConnection(res);
    unanswered.add(res);
    res.on('close', () => unanswered.delete(res));
  });

  return (timeoutMs) =>
    new Promise((resolve, reject) => {
      closing = true;
      unanswered.forEach(lastOnItsConnection);
      let forced = false;
      const deadline = setTimeout(() => {
        forced = true;
        server.closeAllConnections();
      }, timeoutMs);
      server.close((error) => {
        clearTimeout(deadline);
        if (error) reject(error);
        else resolve({ forced });
      });
      // Connections kept alive with no request in flight have nothing to wait for.
      server.closeIdleConnections();
    });
}
