import type { Item, ItemInput, ItemPatch, Page } from './schema.ts';

/**
 * Where items live. The routes know only this interface. It is Promise-based although
 * the built-in stores answer at once, so a networked database can replace them without
 * touching the routes.
 */
export interface ItemStore {
  list(page: Page): Promise<{ items: Item[]; total: number }>;
  get(id: string): Promise<Item | undefined>;
  create(input: ItemInput): Promise<Item>;
  /** Replaces the client's fields; `undefined` when there is no such item. */
  replace(id: string, input: ItemInput): Promise<Item | undefined>;
  /** Changes only the fields given; `undefined` when there is no such item. */
  update(id: string, patch: ItemPatch): Promise<Item | undefined>;
  /** Whether there was an item to delete. */
  remove(id: string): Promise<boolean>;
  /** Rejects when the store cannot serve requests: readiness reports it. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A failure the store can name, so the client gets an answer it can act on instead of a
 * 500 (errors.ts maps each kind to a status):
 * - `full`: no space left to store the write (507); freeing space fixes it, not retrying.
 * - `busy`: another process held the database's write lock too long (503, Retry-After).
 * - `unavailable`: the storage cannot be written or read (I/O error, read-only) (503).
<%_ if (postgres) { _%>
 * - `unreachable`: the database server does not answer (stopped, restarting, network
 *   down) (503, Retry-After): the pool reconnects by itself once it is back.
<%_ } _%>
 */
export class StoreError extends Error {
  override name = 'StoreError';
  readonly kind: 'full' | 'busy' | 'unavailable'<%- postgres ? " | 'unreachable'" : '' %>;

  constructor(kind: StoreError['kind'], message: string, options?: ErrorOptions) {
    super(message, options);
    this.kind = kind;
  }
}
