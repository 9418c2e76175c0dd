/** The Node.js line the app runs on: .nvmrc, .node-version, Volta, then `engines.node`. */
import { DEFAULT_NODE_LINE, NODE_LINES, type NodeLine } from '../../container/node.js';
import semver from 'semver';
import type { ProjectFiles } from './project-files.js';

export interface NodeLineFinding {
  line: NodeLine;
  source: string;
}

const DEFAULT_LINE: NodeLine = DEFAULT_NODE_LINE;

/**
 * nvm's `lts/<codename>` aliases: each LTS line's name. A fact of Node's release schedule, not
 * a parser: semver knows versions, not names.
 */
const LTS_CODENAMES: Record<string, number> = {
  argon: 4,
  boron: 6,
  carbon: 8,
  dubnium: 10,
  erbium: 12,
  fermium: 14,
  gallium: 16,
  hydrogen: 18,
  iron: 20,
  jod: 22,
  krypton: 24,
};

/**
 * The supported line a version or range asks for, read by semver: an exact or major version
 * (`22`, `v24.3.0`, `lts/jod`) picks its own line when we build it, else the nearest newer
 * one; a range (`>=18`, `^20 || ^22`, `22 - 24`) the default line when it admits it, else the
 * newest line it admits. Undefined when it admits none, or is no version semver reads.
 */
export function lineFor(spec: string): NodeLine | undefined {
  const text = spec.trim();
  if (/^(lts\/\*|lts|node|latest|stable|current|\*)$/i.test(text) || text === '') return DEFAULT_LINE;
  const codename = /^lts\/([a-z]+)$/i.exec(text)?.[1]?.toLowerCase();
  const major = codename ? LTS_CODENAMES[codename] : /^v?\d+(\.\d+){0,2}$/.test(text) ? semver.coerce(text)?.major : undefined;
  if (major !== undefined) return NODE_LINES.find((line) => Number(line) >= major);
  if (!semver.validRange(text)) return undefined;
  const admitted = NODE_LINES.filter((line) => semver.intersects(text, `^${line}.0.0`));
  return admitted.includes(DEFAULT_LINE) ? DEFAULT_LINE : admitted.at(-1);
}

/** The source a finding names when nothing in the project pins the line. */
export const DEFAULT_SOURCE = 'nothing pins it: the default';

export function detectNodeLine(project: ProjectFiles): NodeLineFinding {
  const candidates: [string, string | undefined][] = [
    ['.nvmrc', project.read('.nvmrc')?.split('\n')[0]],
    ['.node-version', project.read('.node-version')?.split('\n')[0]],
    ['Volta', project.pkg.volta?.node],
    ['engines.node', project.pkg.engines?.node],
  ];
  for (const [source, spec] of candidates) {
    if (!spec?.trim()) continue;
    const line = lineFor(spec);
    if (line) return { line, source: `${source} "${spec.trim()}"` };
    const why =
      semver.validRange(spec.trim()) || /^lts\//i.test(spec.trim())
        ? 'names no line we build'
        : 'is no version or range semver reads, and names no line we build';
    return { line: DEFAULT_LINE, source: `${source} "${spec.trim()}" ${why} (${NODE_LINES.join(', ')}): the default` };
  }
  return { line: DEFAULT_LINE, source: DEFAULT_SOURCE };
}
