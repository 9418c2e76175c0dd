/**
 * Just enough of the tar format to walk `docker save` and `docker export` archives:
 * ustar headers, pax and GNU long names. Entries that are gzip streams (compressed
 * layers) are handed over decompressed.
 */
import { gunzipSync } from 'node:zlib';

export interface TarEntry {
  path: string;
  /** '0' file, '5' directory, '2' symlink, ... */
  type: string;
  data: Buffer;
}

const BLOCK = 512;

function field(header: Buffer, offset: number, length: number): string {
  const raw = header.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

function parsePax(data: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space === -1) break;
    const length = Number(data.subarray(at, space).toString('ascii'));
    if (!Number.isFinite(length) || length <= 0) break;
    const record = data.subarray(space + 1, at + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    records[record.slice(0, equals)] = record.slice(equals + 1);
    at += length;
  }
  return records;
}

export function* readTar(archive: Buffer): Generator<TarEntry> {
  let at = 0;
  let longName: string | undefined;
  while (at + BLOCK <= archive.length) {
    const header = archive.subarray(at, at + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const size = parseInt(field(header, 124, 12).trim() || '0', 8);
    const type = field(header, 156, 1) || '0';
    const prefix = field(header, 345, 155);
    const name = prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100);
    const data = archive.subarray(at + BLOCK, at + BLOCK + size);
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      longName = parsePax(data).path ?? longName;
      continue;
    }
    if (type === 'g') continue;
    if (type === 'L') {
      longName = data.toString('utf8').replace(/\0+$/, '');
      continue;
    }
    yield { path: (longName ?? name).replace(/^\.\//, ''), type, data };
    longName = undefined;
  }
}

/** The entry's bytes, decompressed when they are a gzip stream. */
export function contentOf(entry: TarEntry): Buffer {
  return entry.data.length > 2 && entry.data[0] === 0x1f && entry.data[1] === 0x8b ? gunzipSync(entry.data) : entry.data;
}
