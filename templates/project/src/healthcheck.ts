/**
 * Run by the image's HEALTHCHECK: slim and distroless images have no curl, but always node.
 * Exits 0 when the service says it is ready, 1 otherwise (including no answer in time).
 */
const port = process.env.PORT || '<%- port %>';

try {
  const response = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2000) });
  process.exit(response.status === 200 ? 0 : 1);
} catch {
  process.exit(1);
}
