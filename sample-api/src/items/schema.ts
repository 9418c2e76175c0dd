/**
 * What clients may send, as zod schemas; the TypeScript types are derived from them, so
 * the checks and the types cannot drift apart.
 */
import { z } from 'zod';

const text = (max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
    .max(max, `must be at most ${max} characters`);

export const itemInput = z.object({
  name: text(200).trim().min(1, 'must not be empty'),
  description: text(2000).optional(),
});

/** PATCH: any of the fields, at least one. */
export const itemPatch = itemInput
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'send at least one of: name, description');

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

export type ItemInput = z.infer<typeof itemInput>;
export type ItemPatch = z.infer<typeof itemPatch>;
export type Page = z.infer<typeof pageQuery>;

/** An item as stored and returned; the server sets `id` and the timestamps (ISO 8601). */
export interface Item extends ItemInput {
  id: string;
  createdAt: string;
  updatedAt: string;
}
