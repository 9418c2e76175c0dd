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
