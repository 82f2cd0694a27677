import type { BulkResult } from '@rapport/shared';
import { chunk } from './list-state';

/** The API accepts at most this many ids per bulk request. */
export const BULK_CHUNK = 200;

export interface BulkSummary {
  done: number;
  failed: BulkResult['failed'];
  /** Ids never sent because the user stopped the run. */
  skipped: number;
}

/**
 * Sends ids in chunks one after another, reporting progress after each; a chunk that fails as a whole counts all its
 * ids as failed with that error, and the run goes on. Stopping takes effect between chunks.
 */
export async function runInChunks(
  ids: string[],
  send: (ids: string[]) => Promise<BulkResult>,
  options: { size?: number; onProgress?: (sent: number, total: number) => void; stopped?: () => boolean; describe?: (error: unknown) => { code: string; message: string } } = {},
): Promise<BulkSummary> {
  const parts = chunk(ids, options.size ?? BULK_CHUNK);
  const summary: BulkSummary = { done: 0, failed: [], skipped: 0 };
  let sent = 0;
  for (const part of parts) {
    if (options.stopped?.()) {
      summary.skipped += part.length;
      continue;
    }
    try {
      const result = await send(part);
      summary.done += result.done;
      summary.failed.push(...result.failed);
    } catch (error) {
      const described = options.describe?.(error) ?? { code: 'internal', message: String(error) };
      summary.failed.push(...part.map((id) => ({ id, ...described })));
    }
    sent += part.length;
    options.onProgress?.(sent, ids.length);
  }
  return summary;
}
