/**
 * The JSON files yeoman reads as soon as a generator is made, checked before it is: kept apart
 * from generator.ts so the bin can check them without loading yeoman.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './questions.js';

/**
 * .yo-rc.json and package.json in `directory`: one that does not parse, or is no JSON object,
 * is the user's to fix, said in one line (exit 2), before yeoman would fail on it with a stack
 * trace.
 */
export function checkStateFiles(directory: string): void {
  for (const name of ['.yo-rc.json', 'package.json']) {
    const file = path.join(directory, name);
    if (!existsSync(file) || !statSync(file).isFile()) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new UsageError(`${file} is not valid JSON (${(error as Error).message}): fix it, then run again. Nothing was written.`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new UsageError(`${file} is not a JSON object, as ${name} must be: fix or delete it. Nothing was written.`);
    }
  }
}
