/**
 * What clients may send and what they get back, as zod schemas. The TypeScript types and
 * the OpenAPI document (openapi.ts) are derived from them, so the checks, the types and
 * the contract cannot drift apart.
 */
import { z } from 'zod';

const text = (max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .max(max, `must be at most ${max} characters`);

export const itemInput = z.object({
  name: text(200)
    .trim()
    .min(1, 'must not be empty')
    .describe('Shown in lists; leading and trailing spaces are dropped'),
  description: text(2000).optional(),
});

/** PATCH: any of the fields, at least one. `minProperties` says so in the document too. */
export const itemPatch = itemInput
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'send at least one of: name, description')
  .meta({ minProperties: 1 });

/**
 * A query parameter that is a whole number written in decimal digits. Number() alone would
 * also take `0x10`, `1e1`, ` 5` and an empty `limit=` (as 0). Anything else is left as the
 * string it is, and the number schema refuses it; the document states the number schema.
 */
const decimal = <T extends z.ZodType>(number: T) =>
  z.preprocess((value) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value), number);
const WHOLE = { error: 'must be a whole number in decimal digits' };

export const pageQuery = z.object({
  limit: decimal(z.int(WHOLE).min(1).max(100).default(20)).describe('Items per page'),
  offset: decimal(z.int(WHOLE).min(0).max(Number.MAX_SAFE_INTEGER).default(0)).describe('Items to skip'),
});

/** An item as stored and returned; the server sets `id` and the timestamps (ISO 8601). */
export const item = z.object({
  id: z.uuid(),
  ...itemInput.shape,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const itemPage = z.object({
  items: z.array(item),
  total: z.int().min(0).describe('Items in the store, on every page'),
  ...pageQuery.shape,
});

export type ItemInput = z.infer<typeof itemInput>;
export type ItemPatch = z.infer<typeof itemPatch>;
export type Page = z.infer<typeof pageQuery>;
export type Item = z.infer<typeof item>;
