/** Progress without a terminal (CI, a pipe): a line to start, one per period while it runs, one to end. */
import { Writable } from 'node:stream';
import { elapsed, step } from '../../generators/lib/progress.js';

/** A stream that is no terminal, keeping its lines, and telling whoever waits for the n-th. */
class Lines extends Writable {
  readonly lines: string[] = [];
  #waiting: { count: number; resolve: () => void }[] = [];

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString().split('\n').filter(Boolean));
    for (const waiter of this.#waiting.filter((w) => this.lines.length >= w.count)) waiter.resolve();
    done();
  }

  until(count: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.lines.length >= count) resolve();
      else this.#waiting.push({ count, resolve });
    });
  }
}

const asStream = (lines: Lines) => lines as unknown as NodeJS.WriteStream;

it('says when a step starts, keeps saying it runs with the time so far, and says when it ends', async () => {
  const out = new Lines();
  // The task ends once two progress lines are out: no clock decides what the test sees.
  const value = await step(() => out.until(3).then(() => 42), {
    doing: 'Installing dependencies (npm install)',
    done: 'Installed dependencies with npm',
    every: 5,
    stream: asStream(out),
  });
  expect(value).toBe(42);
  expect(out.lines[0]).toBe('Installing dependencies (npm install)…');
  expect(out.lines.slice(1, 3)).toEqual([expect.stringMatching(/^ {2}… \d+\.\d s$/), expect.stringMatching(/^ {2}… \d+\.\d s$/)]);
  expect(out.lines.at(-1)).toMatch(/^✔ Installed dependencies with npm \(\d+\.\d s\)$/);
});

it('says a failed step failed, with its time, and passes its error on', async () => {
  const out = new Lines();
  const failing = step(() => Promise.reject(new Error('E404')), { doing: 'Installing', done: 'Installed', stream: asStream(out) });
  await expect(failing).rejects.toThrow('E404');
  expect(out.lines).toEqual(['Installing…', expect.stringMatching(/^✖ Installing: failed after \d+\.\d s$/)]);
});

it.each([
  [400, '0.4 s'],
  [9_940, '9.9 s'],
  [31_200, '31 s'],
  [65_000, '1 min 05 s'],
])('elapsed(%d) is %s', (ms, text) => {
  expect(elapsed(ms)).toBe(text);
});

it('a terminal of zero columns (script, some docker exec -t) gets the plain lines, not a spinner that never stops clearing', async () => {
  const out = Object.assign(new Lines(), { isTTY: true, columns: 0 });
  await step(() => Promise.resolve(), { doing: 'Installing', done: 'Installed', stream: asStream(out) });
  expect(out.lines).toEqual(['Installing…', expect.stringMatching(/^✔ Installed \(\d+\.\d s\)$/)]);
});
