/** The Node.js line the app runs on: .nvmrc, .node-version, Volta, then `engines.node`. */
import { DEFAULT_NODE_LINE, NODE_LINES, type NodeLine } from '../../container/node.js';
import type { ProjectFiles } from './project-files.js';

export interface NodeLineFinding {
  line: NodeLine;
  source: string;
}

const DEFAULT_LINE: NodeLine = DEFAULT_NODE_LINE;

/**
 * The supported line a version or range asks for: an exact or major version picks its own
 * line when we build it (else the nearest newer one); a range (">=18", "^20 || ^22") the
 * newest line it admits, else the default.
 */
export function lineFor(spec: string): NodeLine | undefined {
  const text = spec.trim().replace(/^v/, '');
  if (/^(lts\/\*|lts|node|latest|stable|\*)$/i.test(text) || text === '') return DEFAULT_LINE;
  const exact = /^(\d+)(?:\.\d+){0,2}$/.exec(text);
  if (exact) {
    const major = Number(exact[1]);
    return NODE_LINES.find((line) => Number(line) >= major);
  }
  const admitted = NODE_LINES.filter((line) => admits(text, Number(line)));
  return admitted.includes(DEFAULT_LINE) ? DEFAULT_LINE : admitted.at(-1);
}

/** Whether a semver range over majors admits `major` (enough of semver for engines fields). */
function admits(range: string, major: number): boolean {
  return range.split('||').some((part) => {
    const comparators = part.trim().split(/\s+/).filter(Boolean);
    return comparators.every((comparator) => {
      const m = /^(>=|<=|>|<|\^|~|=)?v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/.exec(comparator);
      if (!m) return true;
      const [, op = '=', n] = m;
      const v = Number(n);
      switch (op) {
        case '>=':
          return major >= v;
        case '>':
          return major > v || (major === v && m[3] !== undefined && m[3] !== '0');
        case '<=':
          return major <= v;
        case '<':
          return major < v;
        default:
          return major === v;
      }
    });
  });
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
    return { line: DEFAULT_LINE, source: `${source} "${spec.trim()}" names no line we build (${NODE_LINES.join(', ')}): the default` };
  }
  return { line: DEFAULT_LINE, source: DEFAULT_SOURCE };
}
