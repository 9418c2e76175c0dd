/**
 * yeoman-test's helpers, with a test adapter whose prompts need no streams.
 *
 * yeoman-test 11 answers prompts through @yeoman/adapter's TestAdapter, which hands inquirer
 * an output stream made by `Duplex.from(async () => {})`. Since Node 24.22 and 26.12 such a
 * stream destroys itself with an AbortError as soon as the function returns, and no one
 * listens for its 'error': jest sees an uncaught exception in whichever test is running.
 * docs/yeoman-test-adapter-abort.md has the reproduction. This adapter answers prompts
 * directly, so there is no stream to fail, and it runs each question's `validate`, so a test
 * answer the real prompt would refuse fails the test instead of passing silently.
 */
import { createLogger } from '@yeoman/adapter';
import type { InputOutputAdapter, PromptAnswers, PromptQuestions } from '@yeoman/adapter/types';
import { YeomanTest } from 'yeoman-test';

/** What this adapter reads of a question: inquirer's fields that decide the answer. */
interface Question {
  name: string;
  type?: string;
  when?: unknown;
  default?: unknown;
  validate?: (value: unknown, answers: PromptAnswers) => unknown;
}

type Callback = (answer: unknown, options: { question: Question; answers: PromptAnswers }) => unknown;

export interface AdapterOptions {
  mockedAnswers?: PromptAnswers;
  callback?: Callback;
  throwOnMissingAnswer?: boolean;
}

/** Whether a mocked answer counts as given, with inquirer's rules per prompt type. */
function isSet(type: string | undefined, answer: unknown): boolean {
  if (type === 'list' || type === 'select') return answer !== undefined;
  if (type === 'confirm') return answer === false || Boolean(answer);
  return Boolean(answer);
}

/** inquirer's `when` and `default` may be values or functions of the answers so far. */
async function resolve(value: unknown, answers: PromptAnswers): Promise<unknown> {
  return typeof value === 'function' ? (value as (a: PromptAnswers) => unknown)(answers) : value;
}

export class StreamlessTestAdapter implements InputOutputAdapter {
  readonly calls: { question: Question; answer: unknown }[] = [];
  readonly mockedAnswers: PromptAnswers = {};
  readonly log: InputOutputAdapter['log'];
  readonly #abortController = new AbortController();
  readonly signal = this.#abortController.signal;
  readonly #callback: Callback;
  readonly #throwOnMissingAnswer: boolean;

  constructor({ mockedAnswers = {}, callback = (answer) => answer, throwOnMissingAnswer = false }: AdapterOptions = {}) {
    this.#callback = callback;
    this.#throwOnMissingAnswer = throwOnMissingAnswer;
    this.addAnswers(mockedAnswers);
    // A logger with every method of the real one, writing nothing.
    const real = createLogger();
    const log = (() => log) as unknown as Record<string, unknown>;
    for (const method of Object.keys(Object.getOwnPropertyDescriptors(real))) {
      if (typeof (real as unknown as Record<string, unknown>)[method] === 'function') log[method] = () => log;
    }
    this.log = log as unknown as InputOutputAdapter['log'];
  }

  addAnswers(answers: PromptAnswers): void {
    // Descriptors, not values: RunContext may pass answers with getters.
    Object.defineProperties(this.mockedAnswers, Object.getOwnPropertyDescriptors(answers));
  }

  async prompt<A extends PromptAnswers = PromptAnswers>(questions: PromptQuestions<A>, initialAnswers?: Partial<A>): Promise<A> {
    const answers: PromptAnswers = { ...initialAnswers };
    const list = (Array.isArray(questions) ? questions : [questions]) as unknown as Question[];
    for (const question of list) {
      const { name, type } = question;
      if (question.when !== undefined && !(await resolve(question.when, answers))) continue;
      let answer: unknown = this.mockedAnswers[name];
      if (!isSet(type, answer)) {
        const fallback = await resolve(question.default, answers);
        if (answer === undefined && fallback === undefined) {
          if (this.#throwOnMissingAnswer) throw new Error(`question ${name} was asked but no answer was given`);
        }
        answer = fallback === undefined && type === 'confirm' ? true : fallback;
      }
      const verdict = question.validate ? await question.validate(answer, answers) : true;
      if (verdict !== true) throw new Error(`question ${name}: answer ${JSON.stringify(answer)} refused: ${String(verdict)}`);
      this.calls.push({ question, answer });
      answers[name] = this.#callback(answer, { question, answers: { [name]: answer } });
    }
    return answers as A;
  }

  async queue<T>(task: (adapter: this) => T | Promise<T>): Promise<T> {
    return task(this);
  }

  async progress<T>(task: (progress: { step: (...args: unknown[]) => void }) => T | Promise<T>): Promise<T> {
    return task({ step() {} });
  }

  close(): void {
    this.abort();
  }

  abort(reason?: unknown): void {
    this.#abortController.abort(reason);
  }
}

class Helpers extends YeomanTest {
  override createTestAdapter(options?: AdapterOptions): ReturnType<YeomanTest['createTestAdapter']> {
    const adapter = new StreamlessTestAdapter({ ...(this.adapterOptions as AdapterOptions), ...options });
    // RunContext only uses the adapter interface; TestAdapter's type adds its own internals.
    return adapter as unknown as ReturnType<YeomanTest['createTestAdapter']>;
  }
}

const helpers = new Helpers();
// A new project's git init and first commit are the bin's tests' to check
// (test/generator/run-flags.test.ts); the rest leave git alone, as --skip-git does.
helpers.generatorOptions = { skipGit: true } as typeof helpers.generatorOptions;
export default helpers;
export { result } from 'yeoman-test';
