import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { newId } from './ids.js';

export interface StoredFile {
  sha256: string;
  sizeBytes: number;
}

/** A file arriving, not stored yet: its checked head, then `store` or `discard`. */
export interface PendingFile extends StoredFile {
  /** The first bytes, for telling the type from the content. */
  head: Buffer;
  /** Moves it under its address; the same content stored twice is kept once. */
  store(): Promise<void>;
  discard(): Promise<void>;
}

/** Refused while streaming in: larger than allowed. Nothing is kept. */
export class FileTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`file larger than ${limitBytes} bytes`);
  }
}

/**
 * Port for file contents, addressed by SHA-256. The disk adapter is the only one so far; an S3-compatible one can
 * follow behind the same three calls.
 */
export interface FileStorage {
  /** Streams `content` in, hashing and counting it; rejects with FileTooLargeError past `limitBytes`. */
  receive(content: Readable, limitBytes: number): Promise<PendingFile>;
  open(sha256: string): Promise<Readable>;
}

// Enough for the type of office files too, whose zip entries name it after the first local header.
const HEAD_BYTES = 64 * 1024;

/** Content-addressed files under `root`: ab/cd/abcd…, written to a temporary name first so a crash leaves no half file. */
export function diskFileStorage(root: string): FileStorage {
  const addressOf = (sha256: string) => path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  return {
    async receive(content, limitBytes) {
      const incoming = path.join(root, 'incoming');
      await fs.mkdir(incoming, { recursive: true });
      const temporary = path.join(incoming, newId());
      const hash = createHash('sha256');
      const headParts: Buffer[] = [];
      let size = 0;
      let headSize = 0;
      try {
        await pipeline(
          content,
          async function* (chunks: AsyncIterable<Buffer>) {
            for await (const chunk of chunks) {
              size += chunk.length;
              if (size > limitBytes) throw new FileTooLargeError(limitBytes);
              if (headSize < HEAD_BYTES) {
                headParts.push(chunk.subarray(0, HEAD_BYTES - headSize));
                headSize += Math.min(chunk.length, HEAD_BYTES - headSize);
              }
              hash.update(chunk);
              yield chunk;
            }
          },
          createWriteStream(temporary),
        );
      } catch (error) {
        await fs.rm(temporary, { force: true });
        throw error;
      }
      const sha256 = hash.digest('hex');
      return {
        sha256,
        sizeBytes: size,
        head: Buffer.concat(headParts),
        async store() {
          const target = addressOf(sha256);
          await fs.mkdir(path.dirname(target), { recursive: true });
          // Same name, same content: replacing a file already there changes nothing.
          await fs.rename(temporary, target);
        },
        discard: () => fs.rm(temporary, { force: true }),
      };
    },
    async open(sha256) {
      const file = addressOf(sha256);
      await fs.access(file);
      return createReadStream(file);
    },
  };
}
