/**
 * Health probes run inside the container by node itself: the images have no curl or wget,
 * and distroless has no shell. One probe serves the Dockerfile's HEALTHCHECK and compose's
 * healthcheck alike.
 */
import { execForm, type HealthCheck } from './model.js';

/**
 * The container's own address, where a published port arrives, rather than loopback: an app
 * that listens on 127.0.0.1 only (Fastify's default for `listen({ port })`) answers a probe
 * of loopback but nothing from outside, and must not pass for healthy. Loopback where the
 * container has no other interface (`--network none`).
 */
const OWN_ADDRESS =
  "(Object.values(require('node:os').networkInterfaces()).flat().find((i) => i.family === 'IPv4' && !i.internal) ?? { address: '127.0.0.1' }).address";

/** GET the route with node's own fetch; any answer but 2xx, or none, fails the check. */
export function httpProbe(port: number, route: string): string {
  return `fetch('http://' + ${OWN_ADDRESS} + ':${port}${route}').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`;
}

/** Only whether something accepts connections on the port. */
export function tcpProbe(port: number): string {
  return `require('node:net').connect(${port}, ${OWN_ADDRESS}).on('connect', () => process.exit(0)).on('error', () => process.exit(1))`;
}

/** A health check made of a probe command (node and its arguments), for a route or none. */
export function healthCheckOf(path: string | undefined, probe: readonly string[]): HealthCheck {
  return { path, exec: execForm(probe), composeTest: execForm(['CMD', ...probe]) };
}

/** The probe an app with no health script of its own gets: `node -e` on a route, or on the port. */
export function inlineHealthCheck(nodeBin: string, port: number, route: string | undefined): HealthCheck {
  return healthCheckOf(route, [nodeBin, '-e', route === undefined ? tcpProbe(port) : httpProbe(port, route)]);
}
