// The kernel-NAT path to a published port, measured from a load generator in a container on a
// bridge of our own: the way a client off this machine comes in, without sending load to the
// machine's own network address.
//
// Why not a `docker network create` bridge: with the userland proxy on (the engine's default),
// the engine's nat table returns every packet that arrives from one of its own bridges before
// the DNAT rules (`-A DOCKER -i br-… -j RETURN`), so a container there reaches a published port
// through docker-proxy, as 127.0.0.1 does. A bridge the engine does not know is like any other
// interface: a connection arriving on it is forwarded by the DNAT rule. So the bridge is made
// here with iproute2, and the load container (`--network none`) gets one end of a veth pair on
// it, its address, and a route to the bridge's own address, the gateway the port is published on.
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { docker } from './docker.mjs';
import { run } from './lib.mjs';
import { log, NAT_PORT, opts, repo, SLIM_BASE, tag } from './options.mjs';

/** Names the kernel keeps to 15 characters: a short id of this run. */
const id = tag.replace(/[^a-z0-9]/g, '').slice(-6);
export const NAT = {
  bridge: `bnat${id}`,
  hostVeth: `vnat${id}`,
  loadVeth: `vnat${id}c`,
  // A /30 of the private range, checked free below; gateway .1 on the bridge, the load at .2.
  subnet: '10.213.113.0/30',
  gateway: '10.213.113.1',
  loadAddress: '10.213.113.2',
  container: 'bench-nat-load',
  // The containers under test run on this network of ours (docker's own bridge driver), so the
  // bridge-IP rows aim at addresses on a bridge this run made, not the engine's default one.
  appNetwork: `bench-app-${id}`,
};

const ip = (args) => run('ip', args);

/** The load process in the container, and its answers, one line per slice. */
let load = null;

/** Makes the networks and the load container; the gateway address exists once it resolves. */
export async function setUpNat() {
  const routes = (await ip(['-4', 'route', 'show'])).out;
  if (routes.includes('10.213.113.'))
    throw new Error(`${NAT.subnet} is already routed on this machine: pick another subnet in bench/nat.mjs`);
  await removeNat();
  await docker(['network', 'create', NAT.appNetwork]);
  await ip(['link', 'add', NAT.bridge, 'type', 'bridge']);
  await ip(['addr', 'add', `${NAT.gateway}/30`, 'dev', NAT.bridge]);
  await ip(['link', 'set', NAT.bridge, 'up']);
  // The harness's own autocannon, read-only: the load is the same client as every other row's.
  await docker([
    'run',
    '-d',
    '--name',
    NAT.container,
    '--network',
    'none',
    '-v',
    `${path.join(repo, 'node_modules')}:/bench/node_modules:ro`,
    '-v',
    `${path.join(repo, 'bench')}:/bench/bench:ro`,
    '--entrypoint',
    'sleep',
    SLIM_BASE,
    'infinity',
  ]);
  const pid = (await docker(['inspect', '-f', '{{.State.Pid}}', NAT.container])).out.trim();
  await ip(['link', 'add', NAT.hostVeth, 'type', 'veth', 'peer', 'name', NAT.loadVeth]);
  await ip(['link', 'set', NAT.hostVeth, 'master', NAT.bridge, 'up']);
  await ip(['link', 'set', NAT.loadVeth, 'netns', pid]);
  const inLoad = (args) => run('nsenter', ['--target', pid, '--net', 'ip', ...args]);
  await inLoad(['link', 'set', NAT.loadVeth, 'name', 'eth0']);
  await inLoad(['addr', 'add', `${NAT.loadAddress}/30`, 'dev', 'eth0']);
  await inLoad(['link', 'set', 'eth0', 'up']);
  await inLoad(['route', 'add', 'default', 'via', NAT.gateway]);
  const child = spawn('docker', ['exec', '-i', NAT.container, 'node', '/bench/bench/nat-load.mjs'], { stdio: ['pipe', 'pipe', 'inherit'] });
  load = { child, lines: readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]() };
  log(`nat: load container ${NAT.container} at ${NAT.loadAddress} on bridge ${NAT.bridge} (gateway ${NAT.gateway})`);
}

/** Removes the container, the veth pair, the bridge and the network; safe to call when none exist. */
export async function removeNat() {
  load?.child.stdin.end();
  load = null;
  await docker(['rm', '-f', NAT.container], { allowFail: true }).catch(() => {});
  for (const link of [NAT.hostVeth, NAT.bridge]) await run('ip', ['link', 'del', link], { allowFail: true }).catch(() => {});
  await docker(['network', 'rm', NAT.appNetwork], { allowFail: true }).catch(() => {});
}

/** One autocannon slice from the load container; the same figures as measure.mjs's slice(). */
export async function natSlice(url, seconds) {
  if (!load) throw new Error('nat: setUpNat() first');
  load.child.stdin.write(`${url} ${seconds} ${opts.connections}\n`);
  const answer = await load.lines.next();
  if (answer.done) throw new Error(`nat: the load process in ${NAT.container} ended (exit ${load.child.exitCode})`);
  return JSON.parse(answer.value);
}

/**
 * Packets the engine's DNAT rule for the published port has forwarded. It grows under the nat
 * row's load only if that load took the kernel path, and not docker-proxy: the run checks it.
 */
export async function dnatPackets() {
  const rules = (await run('iptables', ['-t', 'nat', '-L', 'DOCKER', '-v', '-n', '-x'])).out;
  const rule = rules.split('\n').find((line) => line.includes('DNAT') && line.includes(NAT.gateway) && line.includes(`dpt:${NAT_PORT}`));
  if (!rule) throw new Error(`nat: no DNAT rule for ${NAT.gateway}:${NAT_PORT} in the nat table's DOCKER chain:\n${rules}`);
  return Number(rule.trim().split(/\s+/)[0]);
}
