// A clean `docker stop` for an app that does not handle SIGTERM, without changing its code.
// Written by container-api:docker; the image's CMD loads it first: node --import ./docker/graceful-stop.mjs
//
// Node's diagnostics channels (public API, no patching) tell it which servers the app listens
// on and which requests are in flight. On SIGTERM or SIGINT it stops accepting connections,
// lets the requests in flight finish, closes idle keep-alive connections and exits 0 once
// every server has closed. Requests still running at the deadline end it with exit code 1.
//
// An app with a signal handler of its own is left alone: its handler decides. Only when
// GRACEFUL_STOP=after-app (set in the Dockerfile for a handler that never ends the process)
// does it run the app's handler first, then close the servers all the same.
import dc from 'node:diagnostics_channel';

/** Below Docker's default 10 s grace period, so the verdict is ours and not SIGKILL's. */
const DEADLINE_MS = Number(process.env.GRACEFUL_STOP_TIMEOUT_MS) || 8000;
const AFTER_APP = process.env.GRACEFUL_STOP === 'after-app';

const servers = new Set();
let inFlight = 0;
let stopping = false;

// asyncEnd: the server is listening (net.Server: http, https, Express, Fastify, Koa alike).
dc.tracingChannel('net.server.listen').subscribe({
  asyncEnd({ server }) {
    servers.add(server);
    server.once('close', () => servers.delete(server));
  },
});
dc.subscribe('http.server.request.start', () => inFlight++);
dc.subscribe('http.server.response.finish', ({ server }) => {
  inFlight--;
  // The connection that carried it may now be idle: while stopping, it must not hold close() open.
  if (stopping) setImmediate(() => server.closeIdleConnections?.());
});

function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`graceful-stop: ${signal}: closing ${servers.size} server(s), ${inFlight} request(s) in flight`);
  const deadline = setTimeout(() => {
    console.error(`graceful-stop: ${inFlight} request(s) still in flight after ${DEADLINE_MS} ms; exiting 1`);
    process.exit(1);
  }, DEADLINE_MS);
  deadline.unref();
  const closing = [...servers].map(
    (server) =>
      new Promise((resolve) => {
        server.close(resolve);
        // http.Server: keep-alive connections with no request would otherwise wait out their timeout.
        server.closeIdleConnections?.();
      }),
  );
  // Every server closed: nothing more can arrive. Timers, database pools and the like would
  // keep the event loop alive, so exit here rather than wait for it to drain.
  Promise.all(closing).then(() => process.exit(0));
}

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, function onSignal() {
    const appHandles = process.listeners(signal).some((listener) => listener !== onSignal);
    if (!appHandles) stop(signal);
    // The app's own listeners run after this one, in this same emit: close after them.
    else if (AFTER_APP) setImmediate(() => stop(signal));
  });
}
