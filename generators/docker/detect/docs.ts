/**
 * The documentation an image has no use for, which the build context leaves out: files known
 * by name (README, CHANGELOG, LICENSE and their kin) and docs folders, at the project's root.
 * Markdown in general stays in: an app may read a page at run time (an about.md its config
 * names), and a known name the code or its config mentions stays in too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ProjectFiles } from './project-files.js';

const KNOWN_FILES =
  /^(README|CHANGELOG|CHANGES|HISTORY|NEWS|CONTRIBUTING|CONTRIBUTORS|CODE_OF_CONDUCT|SECURITY|SUPPORT|GOVERNANCE|LICEN[CS]E|COPYING|NOTICE|AUTHORS|UPGRADING|MIGRATION)([.-][\w.-]*)?$/i;
const KNOWN_DIRS = new Set(['docs', 'doc', 'documentation']);
/** Config files whose values may name a page the app reads (`"about": "./about.md"`). */
const CONFIG = /\.(json|json5|ya?ml|toml|ini)$|^\.env/;

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function detectDocs(project: ProjectFiles): string[] {
  const entries = readdirSync(project.root, { withFileTypes: true });
  const candidates = entries.filter((e) => (e.isFile() ? KNOWN_FILES.test(e.name) : e.isDirectory() && KNOWN_DIRS.has(e.name)));
  if (candidates.length === 0) return [];
  const texts = [
    ...project.sources().map((source) => source.text),
    ...configTexts(project.root, ''),
    ...configTexts(project.root, 'config'),
  ];
  return candidates
    .filter((entry) => {
      // A folder counts as named when a path names it ('docs', "./docs/x"), not the word in prose.
      const mention = entry.isDirectory()
        ? new RegExp(`(^|['"\`/])${literal(entry.name)}(['"\`/]|$)`, 'm')
        : new RegExp(`(^|[^\\w.-])${literal(entry.name)}([^\\w.-]|$)`, 'm');
      return !texts.some((text) => mention.test(text));
    })
    .map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name))
    .sort();
}

function configTexts(root: string, dir: string): string[] {
  try {
    return readdirSync(path.join(root, dir), { withFileTypes: true })
      .filter((e) => e.isFile() && CONFIG.test(e.name) && e.name !== 'package-lock.json')
      .map((e) => readFileSync(path.join(root, dir, e.name), 'utf8'));
  } catch {
    return [];
  }
}
