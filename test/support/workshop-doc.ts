/**
 * The workshop guide's doc-test: WORKSHOP.md of a generated project is run, block by block,
 * against a real Docker engine, so the guide cannot rot. test/e2e/workshop.test.ts runs it on
 * the main engine (the classic image store), twice in a row on one project as a second group
 * in the same room would; test/e2e/workshop-containerd.test.ts runs it on a second engine on
 * the containerd image store, Docker Desktop's default (scripts/provision/dockerd-containerd.sh).
 *
 * The guide's block convention (stated in the guide itself):
 * - ```sh            commands: every one runs, in order, in the project folder, each with
 *                    `bash -c 'set -euo pipefail'`; shell variables and functions carry over from
 *                    block to block (as in the learner's one terminal); each must exit 0.
 * - ```sh no-run     commands that cannot run here (a registry): counted, and the count is fixed.
 * - ```sh fails      a wrong answer to an exercise: it must exit non-zero, and its checkpoint must
 *                    say why (a ✘ line). Its variables are not carried over.
 * A block that runs a checkpoint (`sh workshop/check …`) must also print its ✔ lines and
 * "checkpoint … passed", with no ✘: a checkpoint that passes silently proves nothing.
 * - ```text          expected output, for the reader. ```mermaid diagrams. ```json examples.
 * - ```dockerfile    quotes of the project's Dockerfile. The first line names where they come
 *                    from, "# Dockerfile, stage <name>" or "# Dockerfile, before the first FROM":
 *                    every other line must be a line of that part of the generated Dockerfile.
 *                    "# Not in this project…" marks a counter-example, which is not checked.
 * Any other fence, or another word after `sh`, fails the test: no command escapes it.
 * A link to a solution, `[…](workshop/solutions/eN.md)`, stands for that file's blocks: they run
 * where the guide links them, under the same convention.
 *
 * Names: the guide names everything from PREFIX, IMAGE and HOST_PORT, which it lets the
 * environment override; the test sets unique ones and, pass or fail, removes every container,
 * volume, network and image whose name starts with PREFIX. A second pass keeps the same names,
 * so anything the first left behind would collide.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { generate } from './generate.js';
import { REPO_ROOT } from './paths.js';
import { MINUTES, run } from './run.js';
import { snapshot } from './tree.js';

const NAME = 'workshop-api';
/** Where each run writes its per-block timings (git-ignored). */
const TIMINGS_DIR = path.join(REPO_ROOT, 'workshop-timings');

/**
 * Defaults, and the variant that differs in every way the guide branches on. Both use the same
 * package name, so their package.json and lockfile match and the second build reuses the first
 * one's dependency layers.
 */
export const DEFAULTS: Variant = { label: 'defaults', flags: [] };
export const DISTROLESS: Variant = {
  label: 'distroless-memory-open',
  flags: ['--name', NAME, '--runtime', 'distroless', '--persistence', 'none', '--auth', 'none'],
};

export interface Variant {
  label: string;
  flags: string[];
}

/**
 * Not run: the registry block (`docker pull`/`push` need the internet), the build cache prune
 * (on a shared engine it would empty everyone's cache) and the cross-platform build (it needs
 * the other platform's base image from a registry).
 */
const EXPECTED_NO_RUN = 3;
/** marp-cli renders the deck to HTML without a browser (a browser is needed only for PDF). */
const MARP = path.join(REPO_ROOT, 'node_modules', '.bin', 'marp');
/** The exercises, each with its solution in workshop/solutions/. */
const EXERCISES = 7;
const SOLUTION_LINK = /\]\((workshop\/solutions\/e\d+\.md)\)/;

interface Block {
  lang: string;
  info: string;
  body: string;
  /** Where the block is: WORKSHOP.md:<line>, or the solution file's name and line. */
  where: string;
  heading: string;
  /** The `## ` section of WORKSHOP.md the block is in (for a solution: where the guide links it). */
  section: string;
}

/**
 * Fenced blocks, with where they start and the section they are in. A line that links a
 * solution file is replaced by that file's blocks (read with `linked`), in the same section.
 */
function fencedBlocks(markdown: string, file: string, linked?: (file: string) => string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  let heading = '(top)';
  let section = '(top)';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^#{1,6} /.test(line)) heading = line;
    if (/^## /.test(line)) section = line.slice(3);
    const link = SOLUTION_LINK.exec(line);
    if (link && linked) {
      for (const block of fencedBlocks(linked(link[1]!), link[1]!)) blocks.push({ ...block, heading, section });
      continue;
    }
    const open = /^```(\S*)\s*(.*)$/.exec(line);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    if (i >= lines.length) throw new Error(`${file}:${start + 1}: a fence that is never closed`);
    blocks.push({ lang: open[1]!, info: open[2]!.trim(), body: body.join('\n'), where: `${file}:${start + 1}`, heading, section });
  }
  return blocks;
}

/** What a Mermaid flowchart holds: its labels (nodes', subgraphs' and edges'), and how many nodes and edges. */
function mermaidParts(source: string): { labels: string[]; nodes: number; edges: number } {
  const labels = [...source.matchAll(/\w+\["([^"]*)"\]|-- "([^"]*)" -->/g)].map((m) => (m[1] ?? m[2])!);
  const subgraphs = new Set([...source.matchAll(/^\s*subgraph (\w+)/gm)].map((m) => m[1]!));
  const ids = new Set<string>();
  let edges = 0;
  for (const line of source.split('\n').slice(1)) {
    if (/^\s*(subgraph|end|direction)\b/.test(line)) continue;
    const parts = line.replace(/"[^"]*"/g, '""').split(/\s*(?:-- ""\s*)?(?:-->|---)\s*/);
    edges += parts.length - 1;
    for (const part of parts) {
      const id = /^\s*(\w+)/.exec(part)?.[1];
      if (id && !subgraphs.has(id)) ids.add(id);
    }
  }
  return { labels, nodes: ids.size, edges };
}

/** The generated Dockerfile split into parts: "before the first FROM", then one per stage name. */
function dockerfileParts(dockerfile: string): Map<string, string[]> {
  const parts = new Map<string, string[]>();
  let current = 'before the first FROM';
  parts.set(current, []);
  for (const raw of dockerfile.split('\n')) {
    const stage = /^FROM\s+\S+\s+AS\s+(\S+)/i.exec(raw);
    if (stage) {
      current = `stage ${stage[1]}`;
      parts.set(current, []);
    }
    parts.get(current)!.push(raw.trim());
  }
  return parts;
}

/** The lecture concepts (issues 6, 15 and 35) INSTRUCTOR.md's map must cover. */
const LECTURE_CONCEPTS = [
  'Virtual machines versus containers',
  'Linux as the base',
  'Docker Desktop',
  'regardless of host',
  'open-source platform',
  'Client-server architecture',
  'REST API',
  'Docker Hub',
  'Images versus containers',
  'isolated from the outside world',
  'layers of isolation',
  'stateless',
  'Definition of a Dockerfile',
  'FROM',
  'WORKDIR',
  'COPY',
  'ADD versus COPY',
  'ADD unpacking a tar',
  'RUN, shell form and exec form',
  "RUN's exec form, run for real",
  'ENV',
  'VOLUME',
  'USER',
  'EXPOSE',
  '-P',
  'HEALTHCHECK',
  'CMD, shell form versus exec form',
  'docker build and its flags',
  'layer cache',
  'build context, measured',
  'Multi-stage',
  'docker commit',
  'docker create versus docker run',
  'pulling a missing image',
  'docker container ls',
  'docker ps -a',
  'pause, start and rm',
  'pause and unpause',
  'kill',
  'docker volume ls',
  'ephemeral',
  'lightweight',
  'small build context',
  'single responsibility',
  'readable Dockerfiles',
  'volumes to persist',
  'secrets for sensitive data',
  'demo',
  'Compose',
  'Checkpoints',
  'Exercises',
  'Troubleshooting',
  'Port already in use',
  'rootless',
  'rate limits',
  'Disk full',
  'stale image',
  'Apple Silicon',
  'exec format error',
  'Multi-platform builds and the image store',
  "Docker Desktop's containerd image store",
  "Docker Desktop's resource limits",
  "Docker Desktop's licence",
  'WSL 2',
  'Offline',
  'your own API',
];

/** WORKSHOP.md's `## ` sections: title → the line it starts on and its text. */
function h2Sections(markdown: string): Map<string, { line: number; body: string }> {
  const sections = new Map<string, { line: number; body: string }>();
  const lines = markdown.split('\n');
  let current: { line: number; body: string } | undefined;
  let inFence = false;
  for (const [i, line] of lines.entries()) {
    if (/^```/.test(line)) inFence = !inFence;
    if (!inFence && /^## /.test(line)) {
      current = { line: i + 1, body: '' };
      sections.set(line.slice(3), current);
    } else if (current) current.body += `${line}\n`;
  }
  return sections;
}

/** The body rows of the first Markdown table after `heading`, as cells (`\|` kept inside a cell). */
function tableRows(markdown: string, heading: string): string[][] {
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no "${heading}" heading`);
  const lines = markdown.slice(start).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(2, -2)
        .split(/ (?<!\\)\| /)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

/** A table cell's code span, as the text it stands for. */
function unquote(cell: string): string {
  const text = cell.startsWith('`` ') ? cell.slice(3, -3) : cell.replace(/^`|`$/g, '');
  return text.replace(/\\\|/g, '|');
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
const BASH_OWN = run('env', ['-i', 'bash', '-c', 'compgen -v']).stdout.split('\n').filter(Boolean).concat(['PWD', 'OLDPWD', 'SHLVL', '_']);

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

/** Removes everything whose name starts with prefix, on the engine env points at; never fails. */
function removeEverything(prefix: string, env: NodeJS.ProcessEnv) {
  const list = (args: string[]) =>
    run('docker', args, { allowFail: true, env })
      .stdout.split('\n')
      .map((s) => s.trim())
      .filter((s) => s.startsWith(prefix));
  const quiet = (args: string[]) => run('docker', args, { allowFail: true, env });
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

export interface Engine {
  /** Names the engine in test titles and timing files ("classic", "containerd"). */
  label: string;
  /** DOCKER_HOST for every docker command of the run; the main engine when absent. */
  dockerHost?: string;
}

/**
 * The doc-test of one variant on one engine: the static checks once, then the whole guide
 * `passes` times in a row on the same generated project (the setup is shared: one generation,
 * one lockfile), each pass from a fresh shell, with the same names, as a second group would.
 */
export function describeWorkshop(engine: Engine, variant: Variant, passes: number) {
  const { label, flags } = variant;
  const dockerEnv = { ...process.env, ...(engine.dockerHost ? { DOCKER_HOST: engine.dockerHost } : {}) };
  let work = '';
  let project = '';
  let guide = '';
  let blocks: Block[] = [];
  /** workshop/ as generated: Clean up must leave it so. */
  let workshopFolder: Record<string, string> = {};
  const prefix = `ws${Date.now().toString(36)}-${engine.label.slice(0, 4)}-${label.split('-')[0]}`;

  beforeAll(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'workshop-'));
    project = path.join(work, label, NAME);
    generate(project, ['--yes', '--skip-install', ...flags], { cwd: work });
    // The generator's npm install leaves a lockfile, which the Docker build needs; the guide
    // uses nothing else of it (no node_modules on the host), so the lockfile alone is made.
    // It starts from sample-api's committed lockfile, so the versions are the reviewed ones and
    // a registry that lags behind a fresh publish (a range nothing satisfies yet) cannot fail it.
    copyFileSync(path.join(REPO_ROOT, 'sample-api', 'package-lock.json'), path.join(project, 'package-lock.json'));
    run('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund'], { cwd: project });
    guide = readFileSync(path.join(project, 'WORKSHOP.md'), 'utf8');
    blocks = fencedBlocks(guide, 'WORKSHOP.md', (file) => readFileSync(path.join(project, file), 'utf8'));
    workshopFolder = snapshot(path.join(project, 'workshop'));
  }, 10 * MINUTES);

  afterAll(() => {
    const left = removeEverything(prefix, dockerEnv);
    const total = Object.values(left).flat().length;
    if (total > 0) console.log(`[${label}, ${engine.label}] teardown removed what the guide left: ${JSON.stringify(left)}`);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('is rendered completely, with the sections in the order of the brief', () => {
    expect(guide).not.toMatch(/<%|%>|undefined|\[object Object\]/);
    const numbered = guide.match(/^## (\d+)\. /gm)!.map((h) => Number(/\d+/.exec(h)![0]));
    // The brief's sections 0-9, then the CI the project was generated with (section 10).
    expect(numbered).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(guide).toMatch(/^## 10\. CI: the same checks on every push$/m);
    for (const topic of [
      'docker build',
      'docker commit',
      'docker create',
      'docker container ls',
      'docker ps -a',
      'docker container kill',
      'docker container pause',
      'docker container unpause',
      'docker container start',
      'docker container rm',
      'docker pause',
      'docker start',
      'docker rm',
      'docker volume ls',
      'docker volume rm',
      '--unix-socket',
      'Docker Hub',
      '--target',
      '--build-arg',
      '--progress',
      '--no-cache',
      '-f',
    ]) {
      expect(guide).toContain(topic);
    }
    for (const instruction of ['FROM', 'RUN', 'ADD', 'COPY', 'EXPOSE', 'VOLUME', 'WORKDIR', 'CMD']) {
      expect(guide).toMatch(new RegExp(`\\*\\*${instruction}\\b`));
    }
  });

  it('INSTRUCTOR.md maps every lecture concept to a section and a passage that is in it', () => {
    const instructor = readFileSync(path.join(project, 'INSTRUCTOR.md'), 'utf8');
    expect(instructor).not.toMatch(/<%|%>|undefined|\[object Object\]/);
    const sections = h2Sections(guide);
    const map = tableRows(instructor, '## The lecture, slide by slide');
    expect(map.length).toBeGreaterThan(40);
    const located: string[] = [];
    for (const [concept, section, where] of map) {
      const text = sections.get(section!);
      if (text === undefined)
        throw new Error(`INSTRUCTOR.md: "${concept}" points to section "${section}", which WORKSHOP.md does not have`);
      const passage = unquote(where!);
      if (!text.body.includes(passage))
        throw new Error(`INSTRUCTOR.md: "${concept}": "${passage}" is not in section "${section}" of WORKSHOP.md`);
      located.push(`${concept} → WORKSHOP.md:${text.line + text.body.slice(0, text.body.indexOf(passage)).split('\n').length - 1}`);
    }
    const concepts = map.map(([c]) => c!.toLowerCase());
    const missing = LECTURE_CONCEPTS.filter((c) => !concepts.some((row) => row.includes(c.toLowerCase())));
    expect(missing).toEqual([]);
    // The time table has one row per section, in the guide's order.
    expect(tableRows(instructor, '## Time per section').map(([s]) => s)).toEqual([...sections.keys()]);
    expect(located.length).toBe(map.length);
  });

  it('SLIDES.md is a Marp deck with one slide per section of WORKSHOP.md, in order, and the same diagrams', () => {
    const slides = readFileSync(path.join(project, 'SLIDES.md'), 'utf8');
    expect(slides).not.toMatch(/<%|%>|undefined|\[object Object\]/);
    expect(slides).toMatch(/^---\nmarp: true\n/);
    const body = slides.replace(/^---\n[\s\S]*?\n---\n/, '');
    const titles = body
      .split(/^---$/m)
      .map((slide) => /^# (.+)$/m.exec(slide)?.[1])
      .slice(1); // the title slide
    expect(titles).toEqual([...h2Sections(guide).keys()]);
    // Every slide, the title's included, ends with presenter notes that start with its timing.
    const slideTexts = body.split(/^---$/m);
    expect(
      slideTexts.filter((slide) => !/<!-- Presenter: \d+ min[\s\S]*?-->\s*$/.test(slide)).map((s) => /^# (.+)$/m.exec(s)?.[1]),
    ).toEqual([]);
    // Marp draws no Mermaid: each of the guide's diagrams is an image in the deck, in the same
    // order, that has every node, edge and label of its Mermaid source.
    const images = [...slides.matchAll(/!\[[^\]]*\]\((workshop\/slides\/[^)]+\.svg)\)/g)].map((m) => m[1]!);
    const diagrams = blocks.filter((b) => b.lang === 'mermaid');
    expect(images).toHaveLength(diagrams.length);
    for (const [i, diagram] of diagrams.entries()) {
      const svg = readFileSync(path.join(project, images[i]!), 'utf8');
      const drawn = new Set([...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.replace(/&amp;/g, '&')));
      const mermaid = mermaidParts(diagram.body);
      const missing = mermaid.labels.flatMap((label) => label.split('<br/>')).filter((line) => !drawn.has(line));
      expect({ image: images[i], missing }).toEqual({ image: images[i], missing: [] });
      expect({ image: images[i], nodes: svg.match(/class="node"/g)?.length, edges: svg.match(/class="edge"/g)?.length }).toEqual({
        image: images[i],
        nodes: mermaid.nodes,
        edges: mermaid.edges,
      });
    }
  });

  it('SLIDES.md renders with Marp to HTML: every slide with its title, its presenter notes and its images', () => {
    const slides = readFileSync(path.join(project, 'SLIDES.md'), 'utf8');
    const body = slides.replace(/^---\n[\s\S]*?\n---\n/, '');
    const expected = body.split(/^---$/m).map((slide) => /^# (.+)$/m.exec(slide)![1]!.replace(/`/g, ''));
    const html = path.join(work, `${label}-slides.html`);
    run(MARP, ['--no-stdin', 'SLIDES.md', '-o', html], { cwd: project });
    const page = readFileSync(html, 'utf8');
    const text = (fragment: string) =>
      fragment
        .replace(/<[^>]+>/g, '')
        .replace(/&amp;/g, '&')
        .replace(/&#39;|&apos;/g, "'")
        .replace(/&quot;/g, '"')
        .trim();
    expect([...page.matchAll(/<section\b[^>]*\bid="\d+"/g)]).toHaveLength(expected.length);
    expect([...page.matchAll(/<h1\b[^>]*>([\s\S]*?)<\/h1>/g)].map((m) => text(m[1]!))).toEqual(expected);
    const notes = [...page.matchAll(/<div class="bespoke-marp-note"[^>]*>([\s\S]*?)<\/div>/g)].map((m) => text(m[1]!));
    expect(notes).toHaveLength(expected.length);
    expect(notes.filter((note) => !/^Presenter: \d+ min/m.test(note))).toEqual([]);
    const images = [...slides.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)].map((m) => m[1]!);
    for (const src of images) expect(page).toContain(`src="${src}"`);
  });

  it('follows the block convention: known fences only, and a known number of blocks not run', () => {
    const kinds = new Set(blocks.map((b) => `${b.lang} ${b.info}`.trim()));
    for (const kind of kinds) expect(['sh', 'sh no-run', 'sh fails', 'text', 'mermaid', 'dockerfile', 'json']).toContain(kind);
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
      if (where === undefined)
        throw new Error(`${block.where}: a dockerfile block must start with "# Dockerfile, <where>" or "# Not in this project"`);
      const part = parts.get(where);
      if (!part) throw new Error(`${block.where}: the Dockerfile has no part "${where}" (it has: ${[...parts.keys()].join(', ')})`);
      for (const line of rest.map((l) => l.trim()).filter(Boolean)) {
        if (!part.includes(line)) throw new Error(`${block.where}: "${line}" is not a line of the Dockerfile's ${where}`);
        checked++;
        const instruction = INSTRUCTION.exec(line)?.[1];
        if (instruction) quoted.add(instruction);
      }
    }
    expect(checked).toBeGreaterThan(10);
    const used = new Set(
      dockerfile
        .split('\n')
        .map((l) => INSTRUCTION.exec(l)?.[1])
        .filter((i): i is string => i !== undefined),
    );
    expect([...used].filter((i) => !quoted.has(i))).toEqual([]);
  });

  it("draws every stage of the Dockerfile in section 4's diagram, and counts them in the text", () => {
    const dockerfile = readFileSync(path.join(project, 'Dockerfile'), 'utf8');
    const stages = [...dockerfile.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)/gim)].map((m) => m[1]!);
    const section4 = blocks.filter((b) => b.section.startsWith('4. '));
    const diagram = section4.find((b) => b.lang === 'mermaid')!.body;
    expect(stages.filter((stage) => !diagram.includes(`["${stage}<br/>`))).toEqual([]);
    const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven'];
    expect(h2Sections(guide).get('4. The Dockerfile, instruction by instruction')!.body).toContain(
      `\`Dockerfile\` has ${words[stages.length]} stages`,
    );
  });

  it('ends every section with a checkpoint that runs', () => {
    const without = [...h2Sections(guide).keys()].filter(
      (section) => !blocks.some((b) => b.section === section && b.lang === 'sh' && b.info === '' && /sh workshop\/check /.test(b.body)),
    );
    expect(without).toEqual([]);
  });

  it('keeps the solutions in workshop/solutions/, each linked from its exercise, none folded into the guide', () => {
    const linked = [...guide.matchAll(new RegExp(SOLUTION_LINK, 'g'))].map((m) => m[1]!);
    const files = readdirSync(path.join(project, 'workshop', 'solutions')).map((f) => `workshop/solutions/${f}`);
    expect(linked).toEqual(Array.from({ length: EXERCISES }, (_, i) => `workshop/solutions/e${i + 1}.md`));
    expect(files.sort()).toEqual([...linked].sort());
    expect(guide).not.toMatch(/<summary>Solution/);
    // Each solution has a block that ends in its passing checkpoint.
    for (const file of linked) {
      const own = blocks.filter((b) => b.where.startsWith(`${file}:`));
      expect(own.some((b) => b.lang === 'sh' && b.info === '' && b.body.includes(`sh workshop/check ${path.basename(file, '.md')}`))).toBe(
        true,
      );
    }
  });

  it('leaves out what the options leave out', () => {
    const commands = blocks
      .filter((b) => b.lang === 'sh')
      .map((b) => b.body)
      .join('\n');
    if (flags.includes('none')) {
      expect(commands).not.toMatch(/api_token|\bTOKEN\b|Authorization/);
      expect(commands).not.toMatch(/\/app\/data|-data/);
    } else {
      expect(commands).toMatch(/Authorization: Bearer/);
      expect(commands).toMatch(/\$PREFIX-data:\/app\/data/);
    }
  });

  let hostPort = 0;
  for (let pass = 1; pass <= passes; pass++) {
    const runLabel = `${label}${engine.label === 'classic' ? '' : `-${engine.label}`}${passes > 1 ? `-pass${pass}` : ''}`;
    it(
      `runs every sh block, in order, each exiting 0 (${engine.label} image store, pass ${pass} of ${passes})`,
      async () => {
        // A fresh shell per pass, as a new group would start one; the same names, so anything
        // the pass before left behind would collide.
        const state = path.join(work, `${label}.state.sh`);
        writeFileSync(state, '');
        if (hostPort === 0) hostPort = await freePort();
        const env = {
          ...dockerEnv,
          PREFIX: prefix,
          IMAGE: `${prefix}:workshop`,
          HOST_PORT: String(hostPort),
          WS_STATE: state,
          WS_BASH_OWN: BASH_OWN.join(' '),
        };
        await runBlocks(blocks, project, env, runLabel);
      },
      20 * MINUTES,
    );

    it(`cleans up after itself (pass ${pass}): nothing named after PREFIX is left, and workshop/ is as generated`, () => {
      const left = removeEverything(prefix, dockerEnv);
      expect(left).toEqual({ containers: [], networks: [], volumes: [], images: [] });
      expect(snapshot(path.join(project, 'workshop'))).toEqual(workshopFolder);
    });
  }
}

/** Runs the guide's runnable blocks in order, failing at the first that does not do as it says. */
async function runBlocks(blocks: Block[], project: string, env: NodeJS.ProcessEnv, runLabel: string) {
  const runnable = blocks.filter((b) => b.lang === 'sh' && (b.info === '' || b.info === 'fails'));
  const timings: string[] = [];
  const measured: { block: number; where: string; section: string; kind: string; seconds: number }[] = [];
  const transcript: string[] = [];
  const started = Date.now();
  try {
    for (const [index, block] of runnable.entries()) {
      const t0 = Date.now();
      const result = run('bash', ['-c', blockScript(block.body)], { cwd: project, env, timeout: 8 * MINUTES, allowFail: true });
      const output = result.output;
      transcript.push(output);
      const seconds = (Date.now() - t0) / 1000;
      timings.push(`${seconds.toFixed(1)}s  block ${index + 1} (${block.where})`);
      measured.push({
        block: index + 1,
        where: block.where,
        section: block.section,
        kind: block.info || 'sh',
        seconds: Number(seconds.toFixed(1)),
      });
      const where = `block ${index + 1} of ${runnable.length} (${block.where}, in "${block.heading}")`;
      if (block.info === 'fails') {
        if (result.status === 0)
          throw new Error(`${where} is a wrong answer but exited 0: its checkpoint cannot fail\n${output.slice(-3000)}`);
        if (!/^✘ /m.test(output) || !/not passed yet/.test(output))
          throw new Error(`${where} failed without a checkpoint's ✘ saying why:\n${output.slice(-3000)}`);
        continue;
      }
      if (result.status === 0 && /workshop\/check /.test(block.body)) {
        if (/^✘ /m.test(output) || !/^✔ /m.test(output) || !/^checkpoint \S+ passed$/m.test(output)) {
          throw new Error(`${where} ran a checkpoint that did not print ✔ lines and "passed":\n${output.slice(-3000)}`);
        }
      }
      if (result.status !== 0) {
        throw new Error(
          `${where} exited ${result.status ?? result.signal}:\n--- block ---\n${block.body}\n--- output (end) ---\n${output.slice(-6000)}`,
        );
      }
    }
  } finally {
    const all = transcript.join('\n');
    const figures = [
      '^image: \\d+ MB',
      'first 200 after \\d+ ms',
      'memory: .*',
      'build stage: .*',
      '^build context: .*',
      '^the folder: .*',
      '(exec|shell) form: .*',
      '^npm start: .*',
    ]
      .flatMap((re) => all.match(new RegExp(re, 'gm')) ?? [])
      .join('\n  ');
    console.log(
      `[${runLabel}] ${runnable.length} blocks in ${((Date.now() - started) / 1000).toFixed(0)} s\n  ${figures}\n${timings.join('\n')}`,
    );
    // Per-block timings for INSTRUCTOR.md's time per section (scripts/workshop-timings.mjs sums them).
    mkdirSync(TIMINGS_DIR, { recursive: true });
    writeFileSync(
      path.join(TIMINGS_DIR, `${runLabel}.json`),
      `${JSON.stringify({ label: runLabel, complete: measured.length === runnable.length, blocks: measured }, null, 2)}\n`,
    );
  }
}
