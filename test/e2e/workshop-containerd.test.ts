/**
 * WORKSHOP.md on the containerd image store, Docker Desktop's default and Docker Engine 29's
 * for new installations, where `docker image save` keeps layers gzip-compressed and the
 * default builder builds for several platforms. It runs on a second engine of its own
 * (scripts/provision/dockerd-containerd.sh), reached through DOCKER_HOST, so it shares no
 * image, container or cache with the suites on the main engine and can run beside them. The
 * default project, as Docker Desktop users generate it; the variant that differs in every way
 * the guide branches on runs on the classic store (workshop.test.ts).
 *   WORKSHOP_CONTAINERD_HOST   that engine's socket (default unix:///run/docker-containerd.sock)
 */
import { run } from '../support/run.js';
import { DEFAULTS, describeWorkshop } from '../support/workshop-doc.js';

const HOST = process.env.WORKSHOP_CONTAINERD_HOST ?? 'unix:///run/docker-containerd.sock';

beforeAll(() => {
  const info = run('docker', ['info', '--format', '{{json .DriverStatus}}'], {
    env: { ...process.env, DOCKER_HOST: HOST },
    allowFail: true,
  });
  if (!info.ok) throw new Error(`no engine answers on ${HOST}: run scripts/provision/dockerd-containerd.sh\n${info.output.slice(-1000)}`);
  if (!info.stdout.includes('io.containerd.snapshotter'))
    throw new Error(`the engine on ${HOST} is not on the containerd image store (its driver status: ${info.stdout})`);
  // This engine is the suite's alone. An interrupted earlier run can leave build cache that
  // names snapshots its forced removals deleted ("parent snapshot … does not exist"): the run
  // starts from an empty cache, as on a fresh machine.
  run('docker', ['builder', 'prune', '--all', '--force'], { env: { ...process.env, DOCKER_HOST: HOST } });
});

const CONTAINERD = { label: 'containerd', dockerHost: HOST };

describe(`WORKSHOP.md (${DEFAULTS.label}, containerd image store)`, () => describeWorkshop(CONTAINERD, DEFAULTS, 1));
