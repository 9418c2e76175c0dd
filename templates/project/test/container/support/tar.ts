/**
 * Walks `docker save` and `docker export` archives with tar-stream, which knows the
 * extensions image tars rely on for deep paths (pax headers, GNU long names). Entries that
 * are gzip streams (compressed layers) are handed over decompressed by contentOf.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gunzipSync } from 'node:zlib';
import { extract, type Header } from 'tar-stream';

export interface TarEntry {
  path: string;
  /** 'file', 'directory', 'symlink', ... */
  type: Header['type'];
  data: Buffer;
}

/** Every entry of an archive: a file on disk is streamed, bytes in memory (a layer) are read as they are. */
export async function* readTar(archive: string | Buffer): AsyncGenerator<TarEntry> {
  const entries = extract();
  const source = typeof archive === 'string' ? createReadStream(archive) : Readable.from([archive]);
  const fed = pipeline(source, entries);
  // A broken archive also fails the loop below, which throws that error; a caller that stops
  // early ends the stream on purpose. Neither is left as an unhandled rejection.
  fed.catch(() => undefined);
  for await (const entry of entries) {
    const chunks: Buffer[] = [];
    // An entry streams Buffers; its types (from streamx) only say `unknown`.
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    yield { path: entry.header.name.replace(/^\.\//, ''), type: entry.header.type, data: Buffer.concat(chunks) };
  }
  await fed;
}

/** The entry's bytes, decompressed when they are a gzip stream. */
export function contentOf(entry: TarEntry): Buffer {
  return entry.data.length > 2 && entry.data[0] === 0x1f && entry.data[1] === 0x8b
    ? gunzipSync(entry.data)
    : entry.data;
}
