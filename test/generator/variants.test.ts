/**
 * Every combination the question table allows, rendered in memory with the generator's own
 * model, file rules and templates (no yeoman, no install): each output file must be clean
 * text, and its TypeScript, JSON and YAML must parse. Takes seconds; the e2e suites prove
 * that a few of these combinations also build and pass their own tests.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import { answersConflict, QUESTIONS } from '../../generators/app/command.js';
import type { Answers } from '../../generators/app/project.js';
import { selectTemplates } from '../../generators/lib/files.js';
import { templateRoot } from '../../generators/lib/paths.js';
import { REPO_ROOT } from '../support/paths.js';
import { type Rendered, renderProject as render, sourceText } from '../support/render.js';

/** Text answers at their edges: a scoped name with a dot, the top port, quotes in prose. */
const EDGE_TEXT: Record<string, unknown> = { name: '@acme/orders.api', port: 65535, description: `Orders & "returns": Bob's API <v2>` };

/**
 * Every choice of every choice and toggle question, each once with the text questions'
 * defaults and once with EDGE_TEXT.
 */
function combinations(): Answers[] {
  let all: Record<string, unknown>[] = [{}];
  for (const question of QUESTIONS) {
    const values =
      question.kind === 'choice'
        ? question.choices.map((c) => question.parse(c))
        : question.kind === 'toggle'
          ? [true, false]
          : [question.default({ destination: '/tmp/my-api' })];
    all = all.flatMap((answers) => values.map((value) => ({ ...answers, [question.key]: value })));
  }
  // Answers that exclude each other make no project: the generator refuses them.
  all = all.filter((answers) => answersConflict(answers) === undefined);
  const edges = all.map((answers) => ({ ...answers, ...EDGE_TEXT }));
  for (const answers of edges) for (const question of QUESTIONS) question.parse(answers[question.key]);
  return [...all, ...edges] as unknown as Answers[];
}

const count = (text: string, word: RegExp) => text.match(word)?.length ?? 0;

/** What is wrong with one rendered file, or [] (checked once per distinct text). */
function problems({ file, text, template }: Rendered): string[] {
  const found: string[] = [];
  if (/<%|%>/.test(text)) found.push('a leftover ejs tag');
  // Generated code may say `undefined` itself; more of them than the template has leaked in.
  if (count(text, /\bundefined\b/g) > count(sourceText(template), /\bundefined\b/g)) found.push('"undefined"');
  if (/\bNaN\b|\[object Object\]/.test(text)) found.push('NaN or [object Object]');
  if (/\n\n\n/.test(text)) found.push('a doubled blank line');
  if (/[ \t]+$/m.test(text)) found.push('trailing whitespace');
  if (text.length > 0 && !text.endsWith('\n') && !file.startsWith('secrets/')) found.push('no final newline');
  if (/\.(ts|js|mjs)$/.test(file)) {
    const { diagnostics = [] } = ts.transpileModule(text, {
      fileName: file,
      reportDiagnostics: true,
      compilerOptions: { target: ts.ScriptTarget.ES2023, module: ts.ModuleKind.NodeNext },
    });
    for (const d of diagnostics) found.push(`TypeScript: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  }
  if (/(^|\/)(tsconfig[^/]*|devcontainer)\.json$/.test(file)) {
    // tsconfig and devcontainer files are JSON with comments, as their readers take them.
    const { error } = ts.parseConfigFileTextToJson(file, text);
    if (error) found.push(`tsconfig: ${ts.flattenDiagnosticMessageText(error.messageText, ' ')}`);
  } else if (/\.json$/.test(file)) {
    try {
      JSON.parse(text);
    } catch (error) {
      found.push(`JSON: ${(error as Error).message}`);
    }
  }
  if (/\.ya?ml$/.test(file)) {
    for (const doc of parseAllDocuments(text) as { errors: { message: string }[] }[]) {
      for (const error of doc.errors) found.push(`YAML: ${error.message}`);
    }
  }
  return found;
}

describe('the templates', () => {
  const sources = ['project', 'docker'].flatMap((set) =>
    selectTemplates(templateRoot(set), [], {}).map((t) => ({
      name: `${set}/${t}`,
      text: readFileSync(path.join(templateRoot(set), t), 'utf8'),
    })),
  );
  const tags = (text: string) => text.match(/<%[\s\S]*?%>/g) ?? [];

  it('use one tag style: <%- value %> for output, <%_ … _%> for control', () => {
    // Inside a one-line import list, where a slurping tag would eat the spaces between names,
    // a name that depends on an option is wrapped in a plain <% if (…) { %> … <% } %>.
    const inline = /^<% (?:if \([\w.&|! ]+\) \{|\}) %>$/;
    const odd = sources.flatMap(({ name, text }) => {
      const inImports = new Set((text.match(/^import \{ [^\n]*?\} from '[^']+';$/gm) ?? []).flatMap((line) => tags(line)));
      return tags(text)
        .filter((tag) => !/^<%-[\s\S]*[^-_]%>$/.test(tag) && !/^<%_[\s\S]*_%>$/.test(tag))
        .filter((tag) => !(inline.test(tag) && inImports.has(tag)))
        .map((tag) => `${name}: ${tag}`);
    });
    expect(odd).toEqual([]);
    expect(sources.length).toBeGreaterThan(50);
  });

  it('compare no strings: the model holds the flags they branch on', () => {
    const comparisons = sources.flatMap(({ name, text }) =>
      tags(text)
        .filter((tag) => /[!=]==?\s*['"`]|['"`]\s*[!=]==?/.test(tag))
        .map((tag) => `${name}: ${tag}`),
    );
    expect(comparisons).toEqual([]);
  });

  it('put no expression inside an import list: a name that depends on an option is wrapped in an if', () => {
    const imports = sources.flatMap(({ name, text }) =>
      (text.match(/^import [^;]*?from '[^']+';$/gm) ?? []).filter((line) => line.includes('<%-')).map((line) => `${name}: ${line}`),
    );
    expect(imports).toEqual([]);
    // Both forms are in use: a list on its own lines (over 120 columns), and one on a line.
    expect(sources.filter(({ text }) => /^import \{\n(?: {2}\w+,\n)*<%_ if/m.test(text)).length).toBeGreaterThan(0);
    expect(sources.filter(({ text }) => /^import \{ [^\n]*<% if/m.test(text)).length).toBeGreaterThan(0);
  });
});

describe('every combination of options', () => {
  const all = combinations();

  it('covers the whole table: one render per choice of every question, but those the generator refuses', () => {
    const expected = QUESTIONS.reduce((n, q) => n * (q.kind === 'choice' ? q.choices.length : q.kind === 'toggle' ? 2 : 1), 1);
    // The one pair refused: --workshop with --persistence postgres, a sixth of the table.
    const refused = expected / 6;
    expect(all).toHaveLength(2 * (expected - refused));
    expect(all.filter((a) => a.persistence === 'postgres')).not.toHaveLength(0);
    expect(all.some((a) => a.persistence === 'postgres' && a.workshop)).toBe(false);
    expect(expected).toBeGreaterThanOrEqual(192);
  });

  /**
   * One pass over every combination, shared by the tests below: each distinct file's problems,
   * and the distinct files Biome lints with the project's own biome.json.
   */
  let survey: { seen: Map<string, string[]>; failures: string[]; lintable: Rendered[]; biomeConfig: string } | undefined;
  const surveyed = () => {
    if (survey) return survey;
    const seen = new Map<string, string[]>();
    const failures: string[] = [];
    const lintable: Rendered[] = [];
    let biomeConfig = '';
    for (const answers of all) {
      for (const rendered of render(answers)) {
        const key = `${rendered.file}\0${rendered.text}`;
        let found = seen.get(key);
        if (!found) {
          found = problems(rendered);
          seen.set(key, found);
          if (rendered.file === 'biome.json') biomeConfig = rendered.text;
          // openapi.json is written by scripts/openapi.ts, and biome.json leaves it out.
          else if (/\.(ts|js|mjs|json)$/.test(rendered.file) && rendered.file !== 'openapi.json') lintable.push(rendered);
        }
        for (const problem of found) failures.push(`${rendered.file} (${JSON.stringify(answers)}): ${problem}`);
      }
    }
    survey = { seen, failures, lintable, biomeConfig };
    return survey;
  };

  it('renders clean files whose TypeScript, JSON and YAML parse', () => {
    const { seen, failures } = surveyed();
    expect(failures.slice(0, 20)).toEqual([]);
    // The check looked at a real number of distinct files, not at nothing.
    expect(seen.size).toBeGreaterThan(400);
  });

  it("passes the project's own check, Biome's lint rules and layout with its biome.json, on every distinct TypeScript, JavaScript and JSON file", () => {
    // Each distinct text once, in a folder of its own under its own path (Biome reads
    // tsconfig.json and devcontainer.json as JSON with comments by their names), then one run
    // of the generator's Biome, the version the projects pin (see the test below).
    const { lintable, biomeConfig } = surveyed();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'variants-biome-'));
    try {
      lintable.forEach(({ file, text }, i) => {
        const target = path.join(dir, `v${i}`, file);
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, text);
      });
      writeFileSync(path.join(dir, 'biome.json'), biomeConfig.replace('./node_modules/', `${path.join(REPO_ROOT, 'node_modules')}/`));
      const result = spawnSync(
        path.join(REPO_ROOT, 'node_modules/.bin/biome'),
        ['check', '--error-on-warnings', '--max-diagnostics=200', '--colors=off', '.'],
        {
          cwd: dir,
          encoding: 'utf8',
        },
      );
      const output = `${result.stdout}${result.stderr}`;
      if (result.status !== 0) throw new Error(`biome check found problems:\n${output}`);
      expect(lintable.length).toBeGreaterThan(200);
      // The rendered files and biome.json itself.
      expect(output).toContain(`Checked ${lintable.length + 1} files`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('pins the Biome the generator lints them with', () => {
    const own = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).devDependencies['@biomejs/biome'];
    const project = JSON.parse(render(all[0]!).find((r) => r.file === 'package.json')!.text).devDependencies['@biomejs/biome'];
    expect(project).toBe(own);
    expect(own).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('catches what it is meant to catch', () => {
    const template = path.join(templateRoot('project'), 'README.md');
    expect(problems({ file: 'a.ts', text: 'const x = ;\n', template })).toEqual([expect.stringMatching(/^TypeScript: /)]);
    expect(problems({ file: 'a.md', text: 'port undefined  \n\n\n<%- x %>\n', template })).toEqual([
      'a leftover ejs tag',
      '"undefined"',
      'a doubled blank line',
      'trailing whitespace',
    ]);
    expect(problems({ file: 'a.yaml', text: 'a: [\n', template })[0]).toMatch(/^YAML: /);
  });
});
