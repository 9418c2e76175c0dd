/**
 * The Node.js side of every image this package writes: which lines it builds, which images
 * they come from, the user and node binary each runtime has, and the names derived from a
 * package name. Every generator reads these facts here, so a new line or image is one edit.
 */

export const NODE_LINES = ['22', '24', '26'] as const;
export const RUNTIMES = ['slim', 'distroless'] as const;

export type NodeLine = (typeof NODE_LINES)[number];
export type Runtime = (typeof RUNTIMES)[number];

/** The line a project gets when nothing it says picks another: the active LTS. */
export const DEFAULT_NODE_LINE: NodeLine = '24';
export const DEFAULT_RUNTIME: Runtime = 'slim';

export function buildImageFor(node: NodeLine): string {
  return `node:${node}-bookworm-slim`;
}

export function runtimeImageFor(node: NodeLine, runtime: Runtime): string {
  return runtime === 'distroless' ? `gcr.io/distroless/nodejs${node}-debian12:nonroot` : buildImageFor(node);
}

/** Who the app runs as in the runtime image, and how the image's node is called. */
export interface RuntimeUser {
  /** The base image's own unprivileged user, by number: node (1000) or distroless nonroot (65532). */
  appUid: number;
  /** Distroless has no shell and no PATH lookup: its node is named by its path. */
  nodeBin: string;
}

export function runtimeUserFor(runtime: Runtime): RuntimeUser {
  return runtime === 'distroless' ? { appUid: 65532, nodeBin: '/nodejs/bin/node' } : { appUid: 1000, nodeBin: 'node' };
}

/**
 * "@acme/orders.api" → "orders-api": the package name without its scope, with anything but
 * lowercase letters, digits and "-" made a "-", trimmed, at most 50 characters. Valid at
 * once as an image name, a volume, a compose project and a Kubernetes object name (a DNS
 * label, which leaves room for suffixes such as "-api-token").
 */
export function slugFor(name: string): string {
  const slug = name
    .replace(/^@[^/]+\//, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, 50)
    .replace(/^-+|-+$/g, '');
  return slug || 'api';
}
