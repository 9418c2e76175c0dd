/**
 * With --k8s the generator writes a kustomize layout under k8s/. No cluster runs here, so the
 * layout is built in the test the way kustomize builds it (resources, the secretGenerator,
 * the images override) and every resulting object is validated against the Kubernetes API
 * schemas (kubernetes-models: the OpenAPI schemas of the API server, compiled to validators).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { parse, parseAllDocuments } from 'yaml';
import helpers from '../support/yeoman.js';
import type ContainerApiGenerator from '../../generators/app/index.js';
import { GENERATOR_PATH } from '../support/paths.js';

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; [key: string]: any };

/** One validator per kind the layout may contain; an unknown kind fails the test. */
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'v1/Service': Service,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'v1/Secret': Secret,
};

function validate(manifest: Manifest): void {
  const Model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
  if (!Model) throw new Error(`No schema for ${manifest.apiVersion} ${manifest.kind}`);
  new Model(manifest).validate();
}

async function generate(options: Record<string, unknown>): Promise<string> {
  const result = await helpers
    .run<ContainerApiGenerator>(GENERATOR_PATH)
    .withOptions({ skipInstall: true, yes: true, interactive: false, k8s: true, name: 'shop-api', port: '8081', ...options });
  return result.cwd;
}

/**
 * What `kustomize build k8s/` makes of the layout, for the features it uses: resources,
 * common labels, a file-based secretGenerator (with the content hash suffix and the
 * references to it rewritten) and an image tag override.
 */
function build(project: string): Manifest[] {
  const root = path.join(project, 'k8s');
  const kustomization = parse(readFileSync(path.join(root, 'kustomization.yaml'), 'utf8'));
  expect(kustomization).toMatchObject({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' });
  const known = new Set(['apiVersion', 'kind', 'labels', 'resources', 'secretGenerator', 'images']);
  expect(Object.keys(kustomization).filter((key) => !known.has(key))).toEqual([]);

  const manifests: Manifest[] = (kustomization.resources as string[]).flatMap((file) =>
    parseAllDocuments(readFileSync(path.join(root, file), 'utf8')).map((doc) => doc.toJS() as Manifest),
  );
  const renamed = new Map<string, string>();
  for (const generator of kustomization.secretGenerator ?? []) {
    const data: Record<string, string> = {};
    for (const entry of generator.files as string[]) {
      const [key, file] = entry.includes('=') ? entry.split('=') : [path.basename(entry), entry];
      data[key!] = readFileSync(path.resolve(root, file!)).toString('base64');
    }
    const hash = createHash('sha256').update(JSON.stringify(data)).digest('hex').slice(0, 10);
    const name = `${generator.name}-${hash}`;
    renamed.set(generator.name, name);
    manifests.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name }, type: generator.type ?? 'Opaque', data });
  }
  for (const manifest of manifests) {
    for (const { pairs } of kustomization.labels ?? []) manifest.metadata.labels = { ...manifest.metadata.labels, ...pairs };
    if (manifest.kind !== 'Deployment') continue;
    const pod = manifest.spec.template.spec;
    for (const volume of pod.volumes ?? []) {
      if (volume.secret) volume.secret.secretName = renamed.get(volume.secret.secretName) ?? volume.secret.secretName;
    }
    for (const container of pod.containers) {
      const image = (kustomization.images ?? []).find((i: { name: string }) => i.name === container.image);
      if (image) container.image = `${image.newName ?? image.name}:${image.newTag}`;
    }
  }
  return manifests;
}

// yeoman-test returns to the directory each run started in: start from one that stays (a test
// file run earlier in this worker may have left the process in a temporary folder it deleted).

const byKind = (manifests: Manifest[], kind: string) => manifests.filter((m) => m.kind === kind);

describe('the schema check itself', () => {
  const good = (): Manifest => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'x' },
    spec: {
      selector: { matchLabels: { a: 'b' } },
      template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
    },
  });

  it('accepts a minimal valid Deployment', () => {
    expect(() => validate(good())).not.toThrow();
  });

  it('rejects a field of the wrong type', () => {
    const bad = good();
    bad.spec.replicas = 'two';
    expect(() => validate(bad)).toThrow(/replicas must be integer/);
  });

  it('rejects a missing required field', () => {
    const bad = good();
    delete bad.spec.selector;
    expect(() => validate(bad)).toThrow(/required property selector/);
  });

  it('rejects a wrong value in a nested object', () => {
    const bad = good();
    bad.spec.template.spec.containers[0].securityContext = { runAsUser: 'node' };
    expect(() => validate(bad)).toThrow(/runAsUser must be integer/);
  });
});

describe.each([
  { label: 'defaults (sqlite, token, slim)', options: {}, uid: 1000, sqlite: true, token: true },
  {
    label: 'distroless, in memory, open',
    options: { runtime: 'distroless', persistence: 'none', auth: 'none' },
    uid: 65532,
    sqlite: false,
    token: false,
  },
  { label: 'distroless, sqlite, token', options: { runtime: 'distroless' }, uid: 65532, sqlite: true, token: true },
])('k8s manifests: $label', ({ options, uid, sqlite, token }) => {
  let project = '';
  let manifests: Manifest[] = [];

  beforeAll(async () => {
    project = await generate(options);
    manifests = build(project);
  });

  it('validates every object against the Kubernetes API schemas', () => {
    expect(manifests.length).toBeGreaterThanOrEqual(2);
    for (const manifest of manifests) expect(() => validate(manifest)).not.toThrow();
  });

  it('holds the expected objects', () => {
    const kinds = manifests.map((m) => m.kind).sort();
    const expected = ['Deployment', 'Service', ...(sqlite ? ['PersistentVolumeClaim'] : []), ...(token ? ['Secret'] : [])].sort();
    expect(kinds).toEqual(expected);
    for (const manifest of manifests) expect(manifest.metadata.labels?.['app.kubernetes.io/name']).toBe('shop-api');
  });

  it('runs the pod non-root, read-only, without privileges', () => {
    const [deployment] = byKind(manifests, 'Deployment');
    const pod = deployment!.spec.template.spec;
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: uid,
      runAsGroup: uid,
      fsGroup: uid,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    const [container] = pod.containers;
    expect(container.image).toBe('shop-api:latest');
    expect(container.securityContext).toEqual({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.resources.requests).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
    expect(container.resources.limits).toEqual(expect.objectContaining({ memory: expect.any(String) }));
    const tmp = container.volumeMounts.find((m: { mountPath: string }) => m.mountPath === '/tmp');
    expect(pod.volumes.find((v: { name: string }) => v.name === tmp.name).emptyDir).toBeDefined();
  });

  it('probes the health routes and gives shutdown the time it needs', () => {
    const pod = byKind(manifests, 'Deployment')[0]!.spec.template.spec;
    const [container] = pod.containers;
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8081, protocol: 'TCP' }]);
    // The kubelet sleeps (no binary needed in the image), then SIGTERM; grace covers both.
    const preStop = container.lifecycle.preStop.sleep.seconds as number;
    const shutdownMs = Number(container.env.find((e: { name: string }) => e.name === 'SHUTDOWN_TIMEOUT_MS').value);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(preStop + shutdownMs / 1000);
    expect(pod.terminationGracePeriodSeconds).toBeLessThanOrEqual(preStop + shutdownMs / 1000 + 5);
  });

  it('routes the Service to the pods', () => {
    const [service] = byKind(manifests, 'Service');
    const pod = byKind(manifests, 'Deployment')[0]!.spec.template;
    expect(pod.metadata.labels).toMatchObject(service!.spec.selector);
    expect(service!.spec.ports[0]).toMatchObject({ port: 8081, targetPort: 'http' });
  });

  it(sqlite ? 'keeps one writer on a claimed volume' : 'rolls replicas without losing capacity', () => {
    const deployment = byKind(manifests, 'Deployment')[0]!;
    const pod = deployment.spec.template.spec;
    const mounts = pod.containers[0].volumeMounts as { name: string; mountPath: string }[];
    if (sqlite) {
      expect(deployment.spec.replicas).toBe(1);
      expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
      const [claim] = byKind(manifests, 'PersistentVolumeClaim');
      expect(claim!.spec.accessModes).toEqual(['ReadWriteOnce']);
      const data = mounts.find((m) => m.mountPath === '/app/data')!;
      expect(pod.volumes.find((v: { name: string }) => v.name === data.name).persistentVolumeClaim.claimName).toBe(claim!.metadata.name);
    } else {
      expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
      expect(deployment.spec.strategy).toMatchObject({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } });
      expect(mounts.find((m) => m.mountPath === '/app/data')).toBeUndefined();
    }
  });

  it(token ? 'mounts the generated token Secret as the file API_TOKEN_FILE names' : 'has no token to mount', () => {
    const container = byKind(manifests, 'Deployment')[0]!.spec.template.spec.containers[0];
    const pod = byKind(manifests, 'Deployment')[0]!.spec.template.spec;
    const env = Object.fromEntries((container.env as { name: string; value: string }[]).map((e) => [e.name, e.value]));
    if (!token) {
      expect(env.API_TOKEN_FILE).toBeUndefined();
      expect(pod.volumes.some((v: { secret?: unknown }) => v.secret)).toBe(false);
      return;
    }
    expect(env.API_TOKEN_FILE).toBe('/run/secrets/api_token');
    const [secret] = byKind(manifests, 'Secret');
    // The Secret carries the very bytes of secrets/api_token: one source for compose, swarm and k8s.
    const tokenFile = readFileSync(path.join(project, 'secrets/api_token'));
    expect(Buffer.from(secret!.data.api_token, 'base64').equals(tokenFile)).toBe(true);
    const volume = pod.volumes.find((v: { secret?: { secretName: string } }) => v.secret);
    expect(volume.secret.secretName).toBe(secret!.metadata.name);
    const mount = container.volumeMounts.find((m: { name: string }) => m.name === volume.name);
    const file = path.posix.join(mount.mountPath, volume.secret.items[0].path);
    expect(file).toBe('/run/secrets/api_token');
    expect(mount.readOnly).toBe(true);
  });
});

describe('without --k8s', () => {
  it('writes no manifests', async () => {
    const result = await helpers
      .run<ContainerApiGenerator>(GENERATOR_PATH)
      .withOptions({ skipInstall: true, yes: true, interactive: false });
    result.assertNoFile(['k8s/kustomization.yaml', 'k8s/deployment.yaml']);
  });
});
