/**
 * With --k8s the generator writes a kustomize layout: k8s/ for the app, and a kustomization
 * at the project root that adds the token and the image. No cluster runs here. For every
 * variant the tests build the layout with the real kustomize (`kubectl kustomize`, with no
 * flags, on the directory DEPLOY.md names) and validate each object strictly against the
 * Kubernetes API schemas: unknown fields fail too (test/support/k8s-schema.ts).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import helpers from '../support/yeoman.js';
import type ContainerApiGenerator from '../../generators/app/index.js';
import { AUTH, PERSISTENCE } from '../../generators/app/project.js';
import { RUNTIMES } from '../../generators/container/node.js';
import { schemaErrors, type Manifest } from '../support/k8s-schema.js';
import { GENERATOR_PATH } from '../support/paths.js';

interface Build {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `kubectl kustomize <dir>`, as a user types it: no flags. */
function kustomize(cwd: string, dir: string): Build {
  const run = spawnSync('kubectl', ['kustomize', dir], { cwd, encoding: 'utf8' });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error('kubectl is not on the PATH: scripts/provision/kubectl.sh installs it (Debian package kubectl).');
  }
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function parseManifests(yamlText: string): Manifest[] {
  const manifests = parseAllDocuments(yamlText).map((doc) => doc.toJS() as Manifest);
  // kustomize breaks a long base64 value over several lines. The API server's decoder skips
  // the line breaks; the schema's `byte` format does not, so join them before validating.
  for (const m of manifests) {
    if (m.kind === 'Secret' && m.data)
      m.data = Object.fromEntries(Object.entries<string>(m.data).map(([k, v]) => [k, v.replace(/\s+/g, '')]));
  }
  return manifests;
}

/** Every file below a folder, as [relative path, content]. */
function filesUnder(dir: string): [string, string][] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      return [path.relative(dir, file), readFileSync(file, 'utf8')];
    });
}

/** The Kubernetes commands DEPLOY.md shows, in order: kubectl and kustomize lines of its code blocks. */
function deployCommands(project: string): string[] {
  const deploy = readFileSync(path.join(project, 'DEPLOY.md'), 'utf8');
  const section = deploy.slice(deploy.indexOf('## Kubernetes'));
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap((block) => block[1]!.split('\n'))
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => /^(kubectl|kustomize)\b/.test(line));
}

async function generate(options: Record<string, unknown>): Promise<string> {
  const result = await helpers
    .run<ContainerApiGenerator>(GENERATOR_PATH)
    .withOptions({ skipInstall: true, yes: true, interactive: false, k8s: true, name: 'shop-api', port: '8081', ...options });
  return result.cwd;
}

const byKind = (manifests: Manifest[], kind: string) => manifests.filter((m) => m.kind === kind);
const one = (manifests: Manifest[], kind: string) => {
  const found = byKind(manifests, kind);
  expect(found).toHaveLength(1);
  return found[0]!;
};
/** The object of a kind with a given name (the API's own objects are named after the project). */
const named = (manifests: Manifest[], kind: string, name: string) => {
  const found = byKind(manifests, kind).filter((m) => m.metadata.name === name);
  expect(found).toHaveLength(1);
  return found[0]!;
};
/** A Secret made by secretGenerator: its name is the given one with kustomize's content hash. */
const generatedSecret = (manifests: Manifest[], name: string) => {
  const found = byKind(manifests, 'Secret').filter((m) => new RegExp(`^${name}-[a-z0-9]{10}$`).test(m.metadata.name));
  expect(found).toHaveLength(1);
  return found[0]!;
};
/** The pod spec's secret volume sources, whether plain `secret` volumes or `projected` ones. */
const secretSources = (pod: any): { name: string; items: { key: string; path: string }[] }[] =>
  (pod.volumes ?? []).flatMap((v: any) => [
    ...(v.secret ? [{ name: v.secret.secretName, items: v.secret.items }] : []),
    ...(v.projected?.sources ?? []).filter((source: any) => source.secret).map((source: any) => source.secret),
  ]);
/**
 * Where a container sees a Secret's key as a file: the read-only mount of the volume (plain or
 * projected) that holds it, joined with the item's path. Undefined when it is not mounted.
 */
function mountedFile(pod: any, container: any, secretName: string, key: string): string | undefined {
  for (const volume of pod.volumes ?? []) {
    const sources = volume.secret
      ? [{ name: volume.secret.secretName, items: volume.secret.items }]
      : (volume.projected?.sources ?? []).filter((source: any) => source.secret).map((source: any) => source.secret);
    const item = sources.find((source: any) => source.name === secretName)?.items?.find((i: any) => i.key === key);
    const mount = (container.volumeMounts ?? []).find((m: any) => m.name === volume.name);
    if (item && mount?.readOnly) return path.posix.join(mount.mountPath, item.path);
  }
  return undefined;
}

/**
 * Who a NetworkPolicy admits to its pods: each ingress rule's peers and ports. A rule with
 * no `from` admits every source, which the checks below must see as such.
 */
function admitted(policy: Manifest): { from: unknown[] | 'anyone'; ports: unknown }[] {
  return (policy.spec.ingress ?? []).map((rule: any) => ({ from: rule.from?.length ? rule.from : 'anyone', ports: rule.ports }));
}

describe('the checks themselves', () => {
  const good = (): Manifest => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'x' },
    spec: {
      selector: { matchLabels: { a: 'b' } },
      template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
    },
  });

  it('accept a minimal valid Deployment', () => {
    expect(schemaErrors([good()])).toEqual([]);
  });

  it('reject a misspelled field', () => {
    const bad = good();
    bad.spec.replcas = 2;
    expect(schemaErrors([bad])).toEqual([
      expect.stringMatching(/^Deployment\/x: .*'replcas' does not exist.*Did you mean to write 'replicas'\?/),
    ]);
  });

  it('reject an unknown field deep in the pod spec', () => {
    const bad = good();
    bad.spec.template.spec.containers[0].securityContext = { runAsNonRoot: true, readOnlyRootFilesytem: true };
    expect(schemaErrors([bad])).toEqual([expect.stringContaining("'readOnlyRootFilesytem' does not exist")]);
  });

  it('reject a field of the wrong type and a missing required field', () => {
    const bad = good();
    bad.spec.replicas = 'two';
    delete bad.spec.selector;
    const errors = schemaErrors([bad]).join('\n');
    expect(errors).toMatch(/replicas must be integer/);
    expect(errors).toMatch(/required property selector/);
  });

  it('name the object an error is in', () => {
    const other = good();
    other.metadata.name = 'y';
    other.spec.template.spec.containers[0].imagePullPolcy = 'Always';
    expect(schemaErrors([good(), other])).toEqual([
      expect.stringMatching(/^Deployment\/y: .*'imagePullPolcy'.*\(at imagePullPolcy: "Always"/),
    ]);
  });

  it('see an ingress rule without `from` as admitting anyone, and a writable mount as no secret file', () => {
    const policy = (from?: unknown[]): Manifest => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'p' },
      spec: { podSelector: {}, ingress: [{ ...(from ? { from } : {}), ports: [{ port: 5432 }] }] },
    });
    expect(admitted(policy())).toEqual([{ from: 'anyone', ports: [{ port: 5432 }] }]);
    expect(admitted(policy([]))).toEqual([{ from: 'anyone', ports: [{ port: 5432 }] }]);
    const pod = { volumes: [{ name: 's', projected: { sources: [{ secret: { name: 'x', items: [{ key: 'k', path: 'k' }] } }] } }] };
    expect(mountedFile(pod, { volumeMounts: [{ name: 's', mountPath: '/run/secrets', readOnly: true }] }, 'x', 'k')).toBe('/run/secrets/k');
    expect(mountedFile(pod, { volumeMounts: [{ name: 's', mountPath: '/run/secrets' }] }, 'x', 'k')).toBeUndefined();
    expect(mountedFile(pod, { volumeMounts: [{ name: 's', mountPath: '/run/secrets', readOnly: true }] }, 'y', 'k')).toBeUndefined();
  });

  it('fail on a kind they have no schema for', () => {
    expect(() => schemaErrors([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }])).toThrow(
      /No schema for example.com\/v1 Widget/,
    );
  });

  describe('on a generated project with a broken manifest', () => {
    let project = '';
    beforeAll(async () => {
      project = await generate({});
    });

    it('a misspelled field builds, and the schema check fails it', () => {
      const deployment = path.join(project, 'k8s/deployment.yaml');
      const text = readFileSync(deployment, 'utf8');
      writeFileSync(deployment, text.replace('readOnlyRootFilesystem: true', 'readOnlyRootFileSystem: true'));
      try {
        const build = kustomize(project, '.');
        expect(build.status).toBe(0); // kustomize itself does not know the fields
        expect(schemaErrors(parseManifests(build.stdout))).toEqual([expect.stringContaining("'readOnlyRootFileSystem' does not exist")]);
      } finally {
        writeFileSync(deployment, text);
      }
    });

    it('the old layout, a kustomization in k8s/ naming ../secrets/api_token, does not build without flags', () => {
      const kustomization = path.join(project, 'k8s/kustomization.yaml');
      const text = readFileSync(kustomization, 'utf8');
      writeFileSync(kustomization, `${text}\nsecretGenerator:\n  - name: t\n    files:\n      - api_token=../secrets/api_token\n`);
      try {
        const build = kustomize(project, 'k8s');
        expect(build.status).not.toBe(0);
        expect(build.stderr).toMatch(/is not in or below/);
      } finally {
        writeFileSync(kustomization, text);
      }
    });
  });
});

const VARIANTS = RUNTIMES.flatMap((runtime) => PERSISTENCE.flatMap((persistence) => AUTH.map((auth) => ({ runtime, persistence, auth }))));

describe.each(VARIANTS)('k8s: runtime $runtime, persistence $persistence, auth $auth', ({ runtime, persistence, auth }) => {
  const sqlite = persistence === 'sqlite';
  const postgres = persistence === 'postgres';
  const token = auth === 'token';
  const uid = runtime === 'distroless' ? 65532 : 1000;
  let project = '';
  let commands: string[] = [];
  let build: Build;
  let manifests: Manifest[] = [];

  beforeAll(async () => {
    project = await generate({ runtime, persistence, auth });
    // The directory DEPLOY.md's first Kubernetes command applies is the one built here.
    commands = deployCommands(project);
    const documented = commands[0]?.match(/^kubectl apply -k (\S+)$/)?.[1] ?? 'no plain `kubectl apply -k <dir>` first';
    build = kustomize(project, documented);
    manifests = build.status === 0 ? parseManifests(build.stdout) : [];
  });

  const deployment = () => named(manifests, 'Deployment', 'shop-api');
  const pod = () => deployment().spec.template.spec;
  const container = () => pod().containers[0];

  it('DEPLOY.md starts with plain `kubectl apply -k .`, and `kubectl kustomize .` builds it with no flags', () => {
    expect(commands[0]).toBe('kubectl apply -k .');
    expect(commands.join('\n')).not.toMatch(/load-restrictor/);
    expect({ status: build.status, stderr: build.stderr }).toEqual({ status: 0, stderr: '' });
    // k8s/ alone builds too: it is a base of its own, for a Secret that a store provides.
    expect(kustomize(project, 'k8s').status).toBe(0);
  });

  it('renders cleanly: no template left, no trailing spaces, no doubled blank lines', () => {
    const files = [
      ...filesUnder(path.join(project, 'k8s')),
      ['kustomization.yaml', readFileSync(path.join(project, 'kustomization.yaml'), 'utf8')],
    ];
    const problems = files.flatMap(([file, text]) => [
      ...(/<%|%>/.test(text!) ? [`${file}: template tag`] : []),
      ...(/[ \t]$/m.test(text!) ? [`${file}: trailing space`] : []),
      ...(/\n\n\n/.test(text!) || /^\n/.test(text!) ? [`${file}: blank lines`] : []),
    ]);
    expect(problems).toEqual([]);
  });

  it('validates every object strictly against the Kubernetes API schemas', () => {
    expect(manifests.length).toBeGreaterThanOrEqual(4);
    expect(schemaErrors(manifests)).toEqual([]);
  });

  it('holds what the workload allows', () => {
    const kinds = manifests.map((m) => m.kind).sort();
    const expected = [
      'Deployment',
      'Service',
      'NetworkPolicy',
      ...(sqlite ? ['PersistentVolumeClaim'] : ['PodDisruptionBudget', 'HorizontalPodAutoscaler']),
      ...(token ? ['Secret'] : []),
      ...(postgres ? ['StatefulSet', 'Service', 'NetworkPolicy', 'Secret'] : []),
    ].sort();
    expect(kinds).toEqual(expected);
    for (const manifest of manifests) expect(manifest.metadata.labels?.['app.kubernetes.io/name']).toBe('shop-api');
  });

  it('runs the pod non-root, read-only, without privileges', () => {
    expect(pod().securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: uid,
      runAsGroup: uid,
      fsGroup: uid,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod().automountServiceAccountToken).toBe(false);
    expect(container().image).toBe('shop-api:latest');
    expect(container().securityContext).toEqual({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container().resources.requests).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
    expect(container().resources.limits).toEqual(expect.objectContaining({ memory: expect.any(String) }));
    const tmp = container().volumeMounts.find((m: { mountPath: string }) => m.mountPath === '/tmp');
    expect(pod().volumes.find((v: { name: string }) => v.name === tmp.name).emptyDir).toBeDefined();
  });

  it('probes the health routes and gives shutdown the time it needs', () => {
    expect(container().livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(container().readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    expect(container().ports).toEqual([
      { name: 'http', containerPort: 8081, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9464, protocol: 'TCP' },
    ]);
    // The kubelet sleeps (no binary needed in the image), then SIGTERM; grace covers both.
    const preStop = container().lifecycle.preStop.sleep.seconds as number;
    const shutdownMs = Number(container().env.find((e: { name: string }) => e.name === 'SHUTDOWN_TIMEOUT_MS').value);
    expect(pod().terminationGracePeriodSeconds).toBeGreaterThan(preStop + shutdownMs / 1000);
    expect(pod().terminationGracePeriodSeconds).toBeLessThanOrEqual(preStop + shutdownMs / 1000 + 5);
  });

  it('routes the Service to the pods, and the NetworkPolicy admits only the app port and the metrics port', () => {
    const service = named(manifests, 'Service', 'shop-api');
    const labels = deployment().spec.template.metadata.labels;
    expect(labels).toMatchObject(service.spec.selector);
    expect(service.spec.ports).toEqual([expect.objectContaining({ port: 8081, targetPort: 'http' })]);

    const policy = named(manifests, 'NetworkPolicy', 'shop-api').spec;
    expect(labels).toMatchObject(policy.podSelector.matchLabels);
    expect(policy.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.ingress).toEqual([{ ports: [{ port: 8081, protocol: 'TCP' }] }, { ports: [{ port: 9464, protocol: 'TCP' }] }]);
    if (!postgres) {
      expect(policy.egress).toEqual([]);
      return;
    }
    // Out only to the database's pods on its port, and to the cluster DNS on 53.
    const db = named(manifests, 'StatefulSet', 'shop-api-db');
    expect(policy.egress).toEqual([
      { to: [{ podSelector: { matchLabels: db.spec.selector.matchLabels } }], ports: [{ port: 5432, protocol: 'TCP' }] },
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [
          { port: 53, protocol: 'UDP' },
          { port: 53, protocol: 'TCP' },
        ],
      },
    ]);
  });

  it(
    sqlite ? 'keeps one writer on a claimed volume: 1 replica, Recreate, no PDB, no HPA' : 'runs 2 replicas with a PDB and a CPU HPA',
    () => {
      const spec = deployment().spec;
      const mounts = container().volumeMounts as { name: string; mountPath: string }[];
      const labels = spec.template.metadata.labels;
      const deploymentYaml = readFileSync(path.join(project, 'k8s/deployment.yaml'), 'utf8');
      if (sqlite) {
        expect(spec.replicas).toBe(1);
        expect(spec.strategy).toEqual({ type: 'Recreate' });
        expect(byKind(manifests, 'HorizontalPodAutoscaler')).toEqual([]);
        expect(byKind(manifests, 'PodDisruptionBudget')).toEqual([]);
        expect(deploymentYaml).toMatch(/one writer[\s\S]*ReadWriteOnce[\s\S]*no\s+(#\s+)?HorizontalPodAutoscaler/);
        const claim = one(manifests, 'PersistentVolumeClaim');
        expect(claim.spec.accessModes).toEqual(['ReadWriteOnce']);
        const data = mounts.find((m) => m.mountPath === '/app/data')!;
        expect(pod().volumes.find((v: { name: string }) => v.name === data.name).persistentVolumeClaim.claimName).toBe(claim.metadata.name);
        return;
      }
      expect(spec.replicas).toBe(2);
      expect(spec.strategy).toMatchObject({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } });
      expect(mounts.find((m) => m.mountPath === '/app/data')).toBeUndefined();
      const pdb = one(manifests, 'PodDisruptionBudget').spec;
      expect(labels).toMatchObject(pdb.selector.matchLabels);
      expect(pdb.minAvailable).toBe(1);
      const hpa = one(manifests, 'HorizontalPodAutoscaler').spec;
      expect(hpa.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment().metadata.name });
      expect(hpa.minReplicas).toBe(2);
      expect(hpa.maxReplicas).toBeGreaterThan(hpa.minReplicas);
      expect(hpa.metrics).toEqual([
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: expect.any(Number) } } },
      ]);
      // Utilization is a share of the request: without one the HPA cannot compute it.
      expect(container().resources.requests.cpu).toBeTruthy();
    },
  );

  // The database's own objects, only where there is one.
  if (postgres) {
    it('runs PostgreSQL as a StatefulSet on a claim, admitting only the API, with the password from secrets/db_password', () => {
      const db = named(manifests, 'StatefulSet', 'shop-api-db');
      const dbPod = db.spec.template.spec;
      const postgresContainer = dbPod.containers[0];
      const apiLabels = deployment().spec.template.metadata.labels;
      const dbLabels = db.spec.template.metadata.labels;
      expect(dbLabels).toMatchObject(db.spec.selector.matchLabels);
      expect(dbLabels['app.kubernetes.io/component']).not.toBe(apiLabels['app.kubernetes.io/component']);

      // The API scales; the database is one server on its own claim, kept when the set goes.
      expect(deployment().spec.replicas).toBeGreaterThanOrEqual(2);
      expect(one(manifests, 'PodDisruptionBudget').spec.selector.matchLabels).toEqual(deployment().spec.selector.matchLabels);
      expect(db.spec.replicas).toBe(1);
      expect(postgresContainer.image).toBe('postgres:17');
      expect(db.spec.volumeClaimTemplates).toEqual([
        expect.objectContaining({ metadata: { name: 'data' }, spec: expect.objectContaining({ accessModes: ['ReadWriteOnce'] }) }),
      ]);
      const dataMount = postgresContainer.volumeMounts.find((m: { name: string }) => m.name === 'data');
      const dbEnv = Object.fromEntries((postgresContainer.env as { name: string; value: string }[]).map((e) => [e.name, e.value]));
      expect(dbEnv.PGDATA?.startsWith(`${dataMount.mountPath}/`)).toBe(true);
      expect(db.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
      expect(dbPod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, fsGroup: 999 });
      expect(postgresContainer.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
      expect(postgresContainer.readinessProbe.exec.command[0]).toBe('pg_isready');

      // The governing Service is the name the API connects to.
      const dbService = named(manifests, 'Service', db.spec.serviceName);
      expect(dbService.spec.clusterIP).toBe('None');
      expect(dbLabels).toMatchObject(dbService.spec.selector);
      expect(apiLabels).not.toMatchObject(dbService.spec.selector);
      const apiEnv = Object.fromEntries((container().env as { name: string; value: string }[]).map((e) => [e.name, e.value]));
      expect(apiEnv).toMatchObject({
        DATABASE_HOST: dbService.metadata.name,
        DATABASE_USER: dbEnv.POSTGRES_USER,
        DATABASE_NAME: dbEnv.POSTGRES_DB,
      });

      // The database's policy selects its pods and admits the API's pods alone, on 5432 alone.
      const dbPolicies = byKind(manifests, 'NetworkPolicy').filter(
        (p) => dbLabels && Object.entries(p.spec.podSelector.matchLabels ?? {}).every(([k, v]) => dbLabels[k] === v),
      );
      expect(dbPolicies.map((p) => p.metadata.name)).toEqual(['shop-api-db']);
      const dbPolicy = dbPolicies[0]!;
      expect(dbPolicy.spec.podSelector.matchLabels).toEqual(db.spec.selector.matchLabels);
      expect(dbPolicy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(admitted(dbPolicy)).toEqual([
        { from: [{ podSelector: { matchLabels: deployment().spec.selector.matchLabels } }], ports: [{ port: 5432, protocol: 'TCP' }] },
      ]);
      expect(dbPolicy.spec.egress).toEqual([]);

      // One Secret from secrets/db_password, the file compose reads, mounted on both sides.
      const passwordFile = readFileSync(path.join(project, 'secrets/db_password'));
      const secret = generatedSecret(manifests, 'shop-api-db-password');
      expect(Buffer.from(secret.data.db_password, 'base64').equals(passwordFile)).toBe(true);
      expect(readFileSync(path.join(project, 'compose.yaml'), 'utf8')).toMatch(
        /^ {2}db_password:\n(?: {4}#.*\n)* {4}file: \.\/secrets\/db_password$/m,
      );
      expect(mountedFile(dbPod, postgresContainer, secret.metadata.name, 'db_password')).toBe(dbEnv.POSTGRES_PASSWORD_FILE);
      expect(mountedFile(pod(), container(), secret.metadata.name, 'db_password')).toBe(apiEnv.DATABASE_PASSWORD_FILE);
      for (const env of [...postgresContainer.env, ...container().env]) expect(env.name).not.toMatch(/^(POSTGRES|DATABASE)_PASSWORD$/);

      // The password's value is in no file but its own, in neither plain nor base64 form.
      const value = passwordFile.toString('utf8').trim();
      expect(value.length).toBeGreaterThanOrEqual(32);
      const holding = filesUnder(project)
        .filter(([file]) => !file.startsWith(`secrets${path.sep}`))
        .filter(([, text]) => text.includes(value) || text.includes(Buffer.from(value).toString('base64')));
      expect(holding.map(([file]) => file)).toEqual([]);
    });
  }

  it('offers an Ingress with TLS, commented out, that builds and validates once enabled', () => {
    expect(byKind(manifests, 'Ingress')).toEqual([]);
    const copy = mkdtempSync(path.join(os.tmpdir(), 'k8s-ingress-'));
    try {
      cpSync(project, copy, { recursive: true });
      const kustomization = path.join(copy, 'k8s/kustomization.yaml');
      const text = readFileSync(kustomization, 'utf8');
      expect(text).toMatch(/^ {2}# - ingress\.yaml$/m);
      writeFileSync(kustomization, text.replace(/^ {2}# - ingress\.yaml$/m, '  - ingress.yaml'));
      const enabled = kustomize(copy, '.');
      expect(enabled.status).toBe(0);
      const all = parseManifests(enabled.stdout);
      expect(schemaErrors(all)).toEqual([]);
      const ingress = one(all, 'Ingress').spec;
      expect(ingress.tls).toEqual([{ hosts: [ingress.rules[0].host], secretName: expect.any(String) }]);
      expect(ingress.rules[0].http.paths[0].backend.service).toEqual({
        name: named(all, 'Service', 'shop-api').metadata.name,
        port: { name: 'http' },
      });
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('asks Prometheus to scrape the metrics port the app serves /metrics on', () => {
    const app = filesUnder(path.join(project, 'src'))
      .map(([, text]) => text)
      .join('\n');
    expect(app).toMatch(/['"`]\/metrics['"`]/);
    expect(deployment().spec.template.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '9464',
      'prometheus.io/path': '/metrics',
    });
  });

  it(token ? 'mounts the token Secret made from secrets/api_token, whose value is in no other file' : 'has no token to mount', () => {
    const env = Object.fromEntries((container().env as { name: string; value: string }[]).map((e) => [e.name, e.value]));
    if (!token) {
      expect(env.API_TOKEN_FILE).toBeUndefined();
      expect(secretSources(pod()).map((source) => source.name)).not.toContainEqual(expect.stringMatching(/api-token/));
      return;
    }
    expect(env.API_TOKEN_FILE).toBe('/run/secrets/api_token');
    const secret = generatedSecret(manifests, 'shop-api-api-token');
    // The very bytes of secrets/api_token: one file for compose, swarm and Kubernetes.
    const tokenFile = readFileSync(path.join(project, 'secrets/api_token'));
    expect(Buffer.from(secret.data.api_token, 'base64').equals(tokenFile)).toBe(true);
    expect(mountedFile(pod(), container(), secret.metadata.name, 'api_token')).toBe('/run/secrets/api_token');

    // Not under k8s/, nor anywhere else in the project but its one file.
    const value = tokenFile.toString('utf8').trim();
    expect(value.length).toBeGreaterThanOrEqual(32);
    const files = filesUnder(project).filter(([file]) => !file.startsWith(`secrets${path.sep}`));
    expect(files.map(([file]) => file)).toEqual(expect.arrayContaining([path.join('k8s', 'deployment.yaml'), 'kustomization.yaml']));
    const holding = files.filter(([, text]) => text.includes(value) || text.includes(Buffer.from(value).toString('base64')));
    expect(holding.map(([file]) => file)).toEqual([]);
    for (const ignore of ['.gitignore', '.dockerignore']) {
      expect(readFileSync(path.join(project, ignore), 'utf8')).toMatch(/^secrets\/$/m);
    }
  });

  it(token ? 'shows, commented, how a secret store provides the same Secret' : 'generates no Secret and shows no secret store', () => {
    const root = readFileSync(path.join(project, 'kustomization.yaml'), 'utf8');
    if (!token) {
      expect(root).not.toMatch(/api_token/);
      if (!postgres) expect(root).not.toMatch(/secretGenerator|ExternalSecret/);
      return;
    }
    // The commented ExternalSecret, uncommented, is YAML for the Secret the Deployment names.
    const block = root.match(/^# {3}apiVersion: external-secrets\.io\/v1\n(?:# {3}.*\n)+/m)?.[0];
    expect(block).toBeDefined();
    const external = parseManifests(block!.replace(/^# {3}/gm, ''))[0]!;
    const referenced = secretSources(
      parseManifests(readFileSync(path.join(project, 'k8s/deployment.yaml'), 'utf8'))[0]!.spec.template.spec,
    )[0]!.name;
    expect(external).toMatchObject({ kind: 'ExternalSecret', spec: { target: { name: referenced }, data: [{ secretKey: 'api_token' }] } });
    expect(root).toMatch(new RegExp(`kubectl create secret generic ${referenced} --from-file=api_token=secrets/api_token`));
    expect(root).toMatch(/kubeseal/);
  });
});

describe('without --k8s', () => {
  it('writes no manifests', async () => {
    const result = await helpers
      .run<ContainerApiGenerator>(GENERATOR_PATH)
      .withOptions({ skipInstall: true, yes: true, interactive: false });
    result.assertNoFile(['kustomization.yaml', 'k8s/kustomization.yaml', 'k8s/deployment.yaml']);
  });
});
