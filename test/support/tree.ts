import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Every file under a folder with its bytes, to compare a tree before and after a run. */
export function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name))
      .sort()
      .map((file) => [path.relative(dir, file), readFileSync(file, 'base64')]),
  );
}
