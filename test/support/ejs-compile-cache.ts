/**
 * ejs compiles a template on every render unless asked to cache, which is keyed by file name
 * alone. test/generator/variants.test.ts renders every template once per combination of
 * options, thousands of renders of some 80 templates: compiling took half its time. Within a
 * test file, ejs.compile here answers a template it has compiled before with the same
 * function, keyed by the template's text and every option, so a compiled function is reused
 * only where ejs would compile the very same one. Options that are not plain values (a
 * context object, an includer or escape function) are not keyed: those calls compile as usual.
 */
import ejs from 'ejs';

type Compile = typeof ejs.compile;

const compile: Compile = ejs.compile;
/** Per set of options, each template text compiled with them. */
const compiled = new Map<string, Map<string, ReturnType<Compile>>>();

/** The options as a key, or undefined when one of them is not a plain value. */
function optionsKey(options: Record<string, unknown> = {}): string | undefined {
  const entries = Object.entries(options)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  if (entries.some(([, value]) => (value !== null && typeof value === 'object') || typeof value === 'function')) return undefined;
  return JSON.stringify(entries);
}

ejs.compile = ((template: string, options?: Record<string, unknown>) => {
  const key = typeof template === 'string' ? optionsKey(options) : undefined;
  if (key === undefined) return compile(template, options);
  let byText = compiled.get(key);
  if (!byText) {
    byText = new Map();
    compiled.set(key, byText);
  }
  let fn = byText.get(template);
  if (!fn) {
    fn = compile(template, options);
    byText.set(template, fn);
  }
  return fn;
}) as Compile;
