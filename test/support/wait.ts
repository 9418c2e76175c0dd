/** Waiting on a condition, never on a clock: how the e2e suites wait for engines and services. */

export interface WaitOptions {
  /** Pause between checks (ms). */
  every?: number;
  /** Evidence for the failure message, gathered only on a timeout (e.g. the services' last log lines). */
  evidence?: () => string;
}

/**
 * Polls `check` until it returns a value, or fails after `timeoutMs` naming what it waited
 * for, the last error the check threw, and the evidence.
 */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined> | T | undefined,
  { every = 500, evidence }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, every));
  }
  const more = evidence ? `\n${evidence()}` : '';
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}${more}`);
}
