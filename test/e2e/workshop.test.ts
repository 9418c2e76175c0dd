/**
 * The workshop guide's doc-test: WORKSHOP.md of a generated project is run, block by block,
 * against a real Docker engine, so the guide cannot rot.
 *
 * The guide's block convention (stated in the guide itself):
 * - ```sh            commands: every one runs, in order, in the project folder, each with
 *                    `bash -c 'set -euo pipefail'`; shell variables and functions carry over from
 *                    block to block (as in the learner's one terminal); each must exit 0.
 * - ```sh no-run     commands that cannot run here (a registry): counted, and the count is fixed.
 * - ```text          expected output, for the reader. ```mermaid diagrams. ```json examples.
 * - ```dockerfile    quotes of the project's Dockerfile. The first line names where they come
 *                    from, "# Dockerfile, stage <name>" or "# Dockerfile, before the first FROM":
 *                    every other line must be a line of that part of the generated Dockerfile.
 *                    "# Not in this project…" marks a counter-example, which is not checked.
 * Any other fence, or another word after `sh`, fails the test: no command escapes it.
 *
 * Names: the guide names everything from PREFIX, IMAGE and HOST_PORT, which it lets the
 * environment override; the test sets unique ones and, pass or fail, removes every container,
 * volume, network and image whose name starts with PREFIX.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CLI_PATH } from '../support/paths.js';
import { MINUTES, run } from '../support/run.js';

const NAME = 'workshop-api';

/**
 * Defaults, and the variant that differs in every way the guide branches on. Both use the same
 * package name, so their package.json and lockfile match and the second build reuses the first
 * one's dependency layers.
 */
const VARIANTS: { label: string; flags: string[] }[] = [
  { label: 'defaults', flags: [] },
  { label: 'distroless-memory-open', flags: ['--name', NAME, '--runtime', 'distroless', '--persistence', 'none', '--auth', 'none'] },
];

/** The registry block: `docker pull`/`push` need the internet. */
const EXPECTED_NO_RUN = 1;

interface Block {
  lang: string;
  info: string;
  body: string;
  line: number;
  heading: string;
}

/** Fenced blocks, with the line they start on and the section they are in. */
function fencedBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  let heading = '(top)';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^#{1,6} /.test(line)) heading = line;
    const open = /^```(\S*)\s*(.*)$/.exec(line);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    if (i >= lines.length) throw new Error(`WORKSHOP.md:${start + 1}: a fence that is never closed`);
    blocks.push({ lang: open[1]!, info: open[2]!.trim(), body: body.join('\n'), line: start + 1, heading });
  }
  return blocks;
}

/** The generated Dockerfile split into parts: "before the first FROM", then one per stage name. */
function dockerfileParts(dockerfile: string): Map<string, string[]> {
  const parts = new Map<string, string[]>();
  let current = 'before the first FROM';
  parts.set(current, []);
  for (const raw of dockerfile.split('\n')) {
    const stage = /^FROM\s+\S+\s+AS\s+(\S+)/i.exec(raw);
    if (stage) parts.set((current = `stage ${stage[1]}`), []);
    parts.get(current)!.push(raw.trim());
  }
  return parts;
}

const INSTRUCTION = /^(ARG|FROM|WORKDIR|COPY|ADD|RUN|ENV|VOLUME|USER|EXPOSE|HEALTHCHECK|ENTRYPOINT|CMD|LABEL|SHELL|STOPSIGNAL|ONBUILD)\b/;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Names bash sets itself: not carried from block to block. */
const BASH_OWN = spawnSync('env', ['-i', 'bash', '-c', 'compgen -v'], { encoding: 'utf8' })
  .stdout.split('\n')
  .filter(Boolean)
  .concat(['PWD', 'OLDPWD', 'SHLVL', '_']);

/**
 * Wraps one block: restore the state the blocks before it left, run it under `set -euo pipefail`,
 * and on success save its variables (with their export flags) and functions for the next.
 */
function blockScript(body: string): string {
  return [
    'set -euo pipefail',
    'source "$WS_STATE"',
    body,
    '__ws_save() {',
    '  local __ws_n',
    '  for __ws_n in $(compgen -v); do',
    '    case " $WS_BASH_OWN " in *" $__ws_n "*) continue ;; esac',
    '    case "$__ws_n" in __ws_*|WS_STATE|WS_BASH_OWN) continue ;; esac',
    '    declare -p "$__ws_n"',
    '  done',
    '  declare -f',
    '}',
    '__ws_save > "$WS_STATE.next"',
    'mv "$WS_STATE.next" "$WS_STATE"',
  ].join('\n');
}

/** Removes everything whose name starts with prefix; never fails. */
function removeEverything(prefix: string) {
  const list = (args: string[]) =>
    run('docker', args, { allowFail: true })
      .stdout.split('\n')
      .map((s) => s.trim())
      .filter((s) => s.startsWith(prefix));
  const quiet = (args: string[]) => run('docker', args, { allowFail: true });
  const containers = list(['ps', '-a', '--format', '{{.Names}}']);
  if (containers.length) quiet(['rm', '--force', '--volumes', ...containers]);
  const networks = list(['network', 'ls', '--format', '{{.Name}}']);
  if (networks.length) quiet(['network', 'rm', ...networks]);
  const volumes = list(['volume', 'ls', '--format', '{{.Name}}']);
  if (volumes.length) quiet(['volume', 'rm', '--force', ...volumes]);
  const images = list(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}']);
  if (images.length) quiet(['image', 'rm', '--force', ...images]);
  return { containers, networks, volumes, images };
}

let work = '';
beforeAll(() => (work = mkdtempSync(path.join(os.tmpdir(), 'workshop-'))));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(VARIANTS)('WORKSHOP.md ($label)', ({ label, flags }) => {
  let project = '';
  let guide = '';
  let blocks: Block[] = [];
  const prefix = `ws${Date.now().toString(36)}-${label.split('-')[0]}`;

  beforeAll(() => {
    project = path.join(work, label, NAME);
    run(process.execPath, [CLI_PATH, project, '--yes', '--skip-install', ...flags], { cwd: work });
    // The generator's npm install leaves a lockfile, which the Docker build needs; the guide
    // uses nothing else of it (no node_modules on the host), so the lockfile alone is made.
    run('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund'], { cwd: project });
    guide = readFileSync(path.join(project, 'WORKSHOP.md'), 'utf8');
    blocks = fencedBlocks(guide);
  }, 10 * MINUTES);

  afterAll(() => {
    const left = removeEverything(prefix);
    const total = Object.values(left).flat().length;
    if (total > 0) console.log(`[${label}] teardown removed what the guide left: ${JSON.stringify(left)}`);
  });

  it('is rendered completely, with the sections in the order of the brief', () => {
    expect(guide).not.toMatch(/<%|%>|undefined|\[object Object\]/);
    const numbered = guide.match(/^## (\d+)\. /gm)!.map((h) => Number(/\d+/.exec(h)![0]));
    // The brief's sections 0-9, then the CI the project was generated with (section 10).
    expect(numbered).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(guide).toMatch(/^## 10\. CI: the same checks on every push$/m);
    for (const topic of ['docker build', 'docker commit', 'docker create', 'docker container ls', 'docker ps -a', 'docker container kill', 'docker pause', 'docker unpause', 'docker start', 'docker rm', 'docker volume ls', 'docker volume rm', '--unix-socket', 'Docker Hub', '--target', '--build-arg', '--progress', '--no-cache', '-f']) {
      expect(guide).toContain(topic);
    }
    for (const instruction of ['FROM', 'RUN', 'ADD', 'COPY', 'EXPOSE', 'VOLUME', 'WORKDIR', 'CMD']) {
      expect(guide).toMatch(new RegExp(`\\*\\*${instruction}\\b`));
    }
  });

  it('follows the block convention: known fences only, and a known number of blocks not run', () => {
    const kinds = new Set(blocks.map((b) => `${b.lang} ${b.info}`.trim()));
    for (const kind of kinds) expect(['sh', 'sh no-run', 'text', 'mermaid', 'dockerfile', 'json']).toContain(kind);
    expect(blocks.filter((b) => b.lang === 'sh' && b.info === 'no-run')).toHaveLength(EXPECTED_NO_RUN);
    expect(blocks.filter((b) => b.lang === 'sh' && b.info === '').length).toBeGreaterThan(25);
    expect(blocks.filter((b) => b.lang === 'mermaid').length).toBeGreaterThanOrEqual(3);
    for (const diagram of blocks.filter((b) => b.lang === 'mermaid')) expect(diagram.body).toMatch(/^flowchart (TB|LR)\n/);
  });

  it('quotes only lines the Dockerfile really has, in the stage it names, and covers every instruction it uses', () => {
    const dockerfile = readFileSync(path.join(project, 'Dockerfile'), 'utf8');
    const parts = dockerfileParts(dockerfile);
    const quoted = new Set<string>();
    let checked = 0;
    for (const block of blocks.filter((b) => b.lang === 'dockerfile')) {
      const [first, ...rest] = block.body.split('\n');
      if (/^# Not in this project/.test(first!)) continue;
      const where = /^# Dockerfile, (.+)$/.exec(first!)?.[1];
      if (where === undefined) throw new Error(`WORKSHOP.md:${block.line}: a dockerfile block must start with "# Dockerfile, <where>" or "# Not in this project"`);
      const part = parts.get(where);
      if (!part) throw new Error(`WORKSHOP.md:${block.line}: the Dockerfile has no part "${where}" (it has: ${[...parts.keys()].join(', ')})`);
      for (const line of rest.map((l) => l.trim()).filter(Boolean)) {
        if (!part.includes(line)) throw new Error(`WORKSHOP.md:${block.line}: "${line}" is not a line of the Dockerfile's ${where}`);
        checked++;
        const instruction = INSTRUCTION.exec(line)?.[1];
        if (instruction) quoted.add(instruction);
      }
    }
    expect(checked).toBeGreaterThan(10);
    const used = new Set(dockerfile.split('\n').map((l) => INSTRUCTION.exec(l)?.[1]).filter((i): i is string => i !== undefined));
    expect([...used].filter((i) => !quoted.has(i))).toEqual([]);
  });

  it('leaves out what the options leave out', () => {
    const commands = blocks.filter((b) => b.lang === 'sh').map((b) => b.body).join('\n');
    if (flags.includes('none')) {
      expect(commands).not.toMatch(/api_token|TOKEN|Authorization/);
      expect(commands).not.toMatch(/\/app\/data|-data/);
    } else {
      expect(commands).toMatch(/Authorization: Bearer/);
      expect(commands).toMatch(/\$PREFIX-data:\/app\/data/);
    }
  });

  it(
    'runs every sh block, in order, each exiting 0',
    async () => {
      const state = path.join(work, `${label}.state.sh`);
      writeFileSync(state, '');
      const env = {
        ...process.env,
        PREFIX: prefix,
        IMAGE: `${prefix}:workshop`,
        HOST_PORT: String(await freePort()),
        WS_STATE: state,
        WS_BASH_OWN: BASH_OWN.join(' '),
      };
      const runnable = blocks.filter((b) => b.lang === 'sh' && b.info === '');
      const timings: string[] = [];
      const transcript: string[] = [];
      const started = Date.now();
      try {
        for (const [index, block] of runnable.entries()) {
          const t0 = Date.now();
          const result = spawnSync('bash', ['-c', blockScript(block.body)], {
            cwd: project,
            env,
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'pipe'],
            timeout: 8 * MINUTES,
            maxBuffer: 64 * 1024 * 1024,
          });
          const output = `${result.stdout}${result.stderr}`;
          transcript.push(output);
          timings.push(`${((Date.now() - t0) / 1000).toFixed(1)}s  block ${index + 1} (WORKSHOP.md:${block.line})`);
          if (result.status !== 0) {
            throw new Error(
              `block ${index + 1} of ${runnable.length} (WORKSHOP.md:${block.line}, in "${block.heading}") exited ${result.status ?? result.signal}:\n` +
                `--- block ---\n${block.body}\n--- output (end) ---\n${output.slice(-6000)}`,
            );
          }
        }
      } finally {
        const all = transcript.join('\n');
        const figures = ['^image: \\d+ MB', 'first 200 after \\d+ ms', 'memory: .*', 'build stage: .*', '(exec|shell) form: .*']
          .flatMap((re) => all.match(new RegExp(re, 'gm')) ?? [])
          .join('\n  ');
        console.log(`[${label}] ${runnable.length} blocks in ${((Date.now() - started) / 1000).toFixed(0)} s\n  ${figures}\n${timings.join('\n')}`);
      }
    },
    20 * MINUTES,
  );

  it('cleans up after itself: its last block leaves nothing named after PREFIX', () => {
    const left = removeEverything(prefix);
    expect(left).toEqual({ containers: [], networks: [], volumes: [], images: [] });
  });
});
