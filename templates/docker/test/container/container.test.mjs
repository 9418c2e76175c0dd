<%_
  // The tests below are in node:test's words for every runner; only this header differs.
  const runner = containerTest.is;
  const cjs = runner.jest;
  const use = (names, from) => (cjs ? `const ${names} = require('${from}');` : `import ${names} from '${from}';`);
_%>
// Container test for <%- name %>, written by container-api:docker. It builds the image from
// the Dockerfile and runs it the way compose.yaml does (read-only root, no capabilities, an
// init), then proves what the image promises. Run: <%- install.run('test:container') %>
//
<%_ if (runner.node) { _%>
// node --test, with no runner configuration: it runs the same whichever test runner the
// project uses for its own tests. Needs Docker Engine 25 or later.
<%_ } else { _%>
// <%- containerTest.label %>, the project's own runner, with none of the project's runner configuration
// (see the test:container script). Not named *.test.*: that keeps it out of the unit tests'
// run, since building an image takes minutes. Needs Docker Engine 25 or later.
<%_ } _%>
<%- use('{ execFileSync }', 'node:child_process') %>
<%_ if (!healthCheck.path) { _%>
<%- use('net', 'node:net') %>
<%_ } _%>
<%_ if (secrets.length > 0) { _%>
<%- use('{ existsSync, readFileSync }', 'node:fs') %>
<%_ } _%>
<%- use('path', 'node:path') %>
<%_ if (runner.node) { _%>
import { after, before, test } from 'node:test';
<%_ } else if (runner.vitest) { _%>
import { afterAll, beforeAll, test as vitestTest } from 'vitest';
<%_ } else if (runner.mocha) { _%>
import { after, before as mochaBefore, it } from 'mocha';
<%_ } _%>
<%- use('assert', 'node:assert/strict') %>
<%_ if (!cjs) { _%>
import { fileURLToPath } from 'node:url';
<%_ } _%>
<%- use('{ GenericContainer, Wait }', 'testcontainers') %>

<%_ if (cjs) { _%>
const ROOT = path.resolve(__dirname, '../..');
<%_ } else { _%>
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
<%_ } _%>
const IMAGE = process.env.TEST_IMAGE ?? '<%- slug %>:container-test';
const PORT = <%- port %>;
<%_ if (healthCheck.path) { _%>
const HEALTH_PATH = '<%- healthCheck.path %>';
<%_ } _%>
/** The app user of the runtime image: <%- distroless ? 'nonroot of the distroless image' : 'node of the base image' %>. */
const APP_UID = '<%- appUid %>';
<%_ if (secrets.length > 0) { _%>
const SECRET_FILE = path.join(ROOT, '<%- secretEnv.file %>');
<%_ } _%>
<%_ if (!runner.node) { _%>

// node:test's before, after and test(name, (t) => …), in <%- containerTest.label %>'s terms. Its default
// timeouts are for unit tests: the first build of the image takes minutes, and docker stop
// waits up to its grace period.
const BUILD_TIMEOUT = 10 * 60_000;
const TEST_TIMEOUT = 60_000;
/** What the tests use of node:test's context: a note printed with the result. */
const context = { diagnostic: (message) => console.log(message) };
<%_ if (runner.jest) { _%>
// beforeAll, afterAll and it are Jest's globals.
const before = (fn) => beforeAll(fn, BUILD_TIMEOUT);
const after = (fn) => afterAll(fn);
const test = (name, fn) => it(name, () => fn(context), TEST_TIMEOUT);
<%_ } else if (runner.vitest) { _%>
const before = (fn) => beforeAll(fn, BUILD_TIMEOUT);
const after = (fn) => afterAll(fn);
const test = (name, fn) => vitestTest(name, () => fn(context), TEST_TIMEOUT);
<%_ } else { _%>
// An arrow function has no `this`, on which Mocha sets a hook's timeout.
const before = (fn) =>
  mochaBefore(function () {
    this.timeout(BUILD_TIMEOUT);
    return fn();
  });
const test = (name, fn) => it(name, () => fn(context)).timeout(TEST_TIMEOUT);
<%_ } _%>
<%_ } _%>

/** testcontainers has no init option: this sets the one field compose's `init: true` sets. */
class ComposeLikeContainer extends GenericContainer {
  constructor(image) {
    super(image);
    this.hostConfig.Init = true;
    this.hostConfig.ReadonlyRootfs = true;
  }
}

const docker = (...args) => execFileSync('docker', args, { encoding: 'utf8' }).trim();
let container;

before(async () => {
  // The buildx CLI rather than the Docker API: its BuildKit session is the reliable one, and
  // a failed build shows the build's own output here.
<%_ if (workspace) { _%>
  // The monorepo root is the context, as in compose.yaml: the lockfile is there.
  const context = path.resolve(ROOT, '<%- contextFromPackage %>');
  execFileSync('docker', ['buildx', 'build', '--load', '-t', IMAGE, '-f', path.join(ROOT, 'Dockerfile'), context], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
<%_ } else { _%>
  execFileSync('docker', ['buildx', 'build', '--load', '-t', IMAGE, ROOT], { stdio: ['ignore', 'inherit', 'inherit'] });
<%_ } _%>
  // The container's output as it comes: the evidence when it never turns healthy, even if it
  // has exited and is gone by the time the wait gives up.
  const output = [];
  let candidate = new ComposeLikeContainer(IMAGE)
    .withLogConsumer((stream) => stream.on('data', (chunk) => output.push(String(chunk))))
    .withExposedPorts(PORT)
    .withTmpFs({ '/tmp': 'rw,size=16m,mode=1777' })
    .withDroppedCapabilities('ALL')
    .withSecurityOpt('no-new-privileges:true')
<%_ if (environment.length > 0) { _%>
    // compose.yaml's environment entries.
    .withEnvironment({
<%_ for (const [key, value] of environment) { _%>
      <%- key %>: <%- value %>,
<%_ } _%>
    })
<%_ } _%>
<%_ if (serviceVariables.length > 0) { _%>
    // The services compose brings do not run here, so the variables that point at them are set
    // empty, which wins over the secret file: an app that can do without them runs alone.
    .withEnvironment({
<%_ for (const name of serviceVariables) { _%>
      <%- name %>: '',
<%_ } _%>
    })
<%_ } _%>
    // HEALTHCHECK decides: the container is ready when the image says it is.
    .withWaitStrategy(Wait.forHealthCheck())
    .withStartupTimeout(60_000);
<%_ if (secrets.length > 0) { _%>
  // The secret file, where compose mounts it. Without it node starts without those variables.
  if (existsSync(SECRET_FILE)) {
    candidate = candidate.withBindMounts([{ source: SECRET_FILE, target: '<%- secretEnv.target %>', mode: 'ro' }]);
  }
<%_ } _%>
  try {
    container = await candidate.start();
  } catch (error) {
    const logs = output.join('').trimEnd().split('\n').slice(-40).join('\n');
<%_ if (servicesOutsideTest.length > 0) { _%>
    // The app's services are not started here: it can only reach them if they run elsewhere.
    const hint = 'Does it need <%- servicesOutsideTest.join(' or ') %> at startup, or a variable? See README.Docker.md.';
<%_ } else { _%>
    const hint = 'A variable missing? See README.Docker.md.';
<%_ } _%>
    throw new Error(`The container did not turn healthy. The last of its output:\n${logs || '(none)'}\n${hint}`, { cause: error });
  }
});

after(async () => {
  if (container) docker('rm', '-f', container.getId());
});

test('runs as the unprivileged app user, not root', async () => {
  const { output, exitCode } = await container.exec(['<%- nodeBin %>', '-e', 'process.stdout.write(String(process.getuid()))']);
  assert.equal(exitCode, 0);
  assert.equal(output.trim(), APP_UID);
  assert.equal(docker('image', 'inspect', '--format', '{{.Config.User}}', IMAGE), APP_UID);
});

test('turns healthy by its own HEALTHCHECK', () => {
  assert.equal(docker('inspect', '--format', '{{.State.Health.Status}}', container.getId()), 'healthy');
});

<%_ if (healthCheck.path) { _%>
test(`serves GET ${HEALTH_PATH} on the mapped port`, async () => {
  const response = await fetch(`http://${container.getHost()}:${container.getMappedPort(PORT)}${HEALTH_PATH}`);
  assert.ok(response.ok, `GET ${HEALTH_PATH} answered ${response.status}`);
});
<%_ } else { _%>
test('accepts connections on the mapped port (no health route: TCP only)', async () => {
  await new Promise((resolve, reject) => {
    const socket = net.connect(container.getMappedPort(PORT), container.getHost());
    socket.on('connect', () => socket.end(resolve)).on('error', reject);
  });
});
<%_ } _%>
<%_ if (secrets.length > 0) { _%>

test('keeps the secrets out of the image and its configuration', () => {
  const names = [<%- secretVariables.map((s) => `'${s}'`).join(', ') %>];
  const config = JSON.parse(docker('inspect', '--format', '{{json .Config.Env}}', container.getId()));
  const history = docker('history', '--no-trunc', '--format', '{{.CreatedBy}}', IMAGE);
  for (const name of names) {
    // With a value, that is: this test sets the variables of services it does not run empty.
    const set = config.filter((entry) => entry.startsWith(`${name}=`) && entry !== `${name}=`);
    assert.deepEqual(set, [], `${name} is in the container's environment`);
    assert.ok(!history.includes(`${name}=`), `${name} is in the image history`);
  }
  if (existsSync(SECRET_FILE)) {
    for (const line of readFileSync(SECRET_FILE, 'utf8').split('\n')) {
      const value = line.split('=').slice(1).join('=');
      if (!line.startsWith('#') && value.length >= 4) assert.ok(!history.includes(value), 'a secret value is in the image history');
    }
  }
});
<%_ } _%>

<%_ if (stop.preload) { _%>
<%_ if (stop.preload.takesReraise) { _%>
// The app's handler cleans up and sends the signal again; docker/graceful-stop.mjs, loaded
// before the app, takes that second signal, so node exits 0 rather than dying of it (143).
<%_ } else { _%>
// docker/graceful-stop.mjs, loaded before the app, handles SIGTERM<%- stop.preload.afterApp ? " after the app's own handler" : '' %>: it closes the servers,
// lets requests in flight finish and exits 0.
<%_ } _%>
test('stops on docker stop before the grace period ends, exit code 0 (docker/graceful-stop.mjs)', () => {
  docker('stop', '--time', '10', container.getId());
  const logs = execFileSync('docker', ['logs', container.getId()], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  // 137 would mean SIGKILL: the app did not exit within the grace period; 1, requests still running.
  assert.equal(docker('inspect', '--format', '{{.State.ExitCode}}', container.getId()), '0', logs);
<%_ if (!stop.preload.afterApp && !stop.preload.takesReraise) { _%>
  assert.match(logs, /graceful-stop: SIGTERM: closing [1-9]\d* server/, 'the preload did not see the server close');
<%_ } _%>
});
<%_ } else if (stop.handler && !stop.handlerEndsNothing) { _%>
test('stops on docker stop before the grace period ends, exit code 0', () => {
  docker('stop', '--time', '10', container.getId());
  // 137 would mean SIGKILL: the app did not exit within the grace period.
  assert.equal(docker('inspect', '--format', '{{.State.ExitCode}}', container.getId()), '0');
});
<%_ } else { _%>
// The app installs no SIGTERM handler. Under the init (compose's `init: true`) SIGTERM ends
// node at once with exit code 143: in-flight requests are cut off. Handle SIGTERM in the app
// to finish them and exit 0 (README.Docker.md shows how); then this test expects 0.
test('stops on docker stop before the grace period ends (exit 143: the app does not handle SIGTERM)', (t) => {
  docker('stop', '--time', '10', container.getId());
  const code = docker('inspect', '--format', '{{.State.ExitCode}}', container.getId());
  // 137 would mean SIGKILL: nothing ended the app within the grace period.
  assert.ok(code === '0' || code === '143', `exit code ${code}`);
  if (code === '143') t.diagnostic('The app does not handle SIGTERM: in-flight requests are cut off on stop. See README.Docker.md, "Stopping cleanly".');
});
<%_ } _%>
