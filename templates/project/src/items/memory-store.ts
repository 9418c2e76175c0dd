/**
 * Items in memory: gone when the process stops. Enough for a stateless demo; swap in a
 * database-backed ItemStore when the data matters.
 */
import { randomUUID } from 'node:crypto';
import type { Item } from './schema.ts';
import type { ItemStore } from './store.ts';

export function createMemoryStore(): ItemStore {
  // A Map keeps insertion order, which keeps pages stable.
  const items = new Map<string, Item>();
  // Copies out, so a caller cannot change a stored item by accident.
  const copy = (item: Item): Item => ({ ...item });

  return {
    async list({ limit, offset }) {
      const all = [...items.values()];
      return { items: all.slice(offset, offset + limit).map(copy), total: all.length };
    },
    async get(id) {
      const item = items.get(id);
      return item && copy(item);
    },
    async create(input) {
      const now = new Date().toISOString();
      const item: Item = { id: randomUUID(), ...input, createdAt: now, updatedAt: now };
      items.set(item.id, item);
      return copy(item);
    },
    async replace(id, input) {
      const current = items.get(id);
      if (!current) return undefined;
      const item: Item = { id, ...input, createdAt: current.createdAt, updatedAt: new Date().toISOString() };
      items.set(id, item);
      return copy(item);
    },
    async update(id, patch) {
      const current = items.get(id);
      if (!current) return undefined;
      const item: Item = { ...current, ...patch, updatedAt: new Date().toISOString() };
      items.set(id, item);
      return copy(item);
    },
    async remove(id) {
      return items.delete(id);
    },
    async ping() {},
    async close() {
      items.clear();
    },
  };
}
