import { describe, expect, it } from 'vitest';
import { runInChunks } from './bulk';

const ids = Array.from({ length: 450 }, (_, i) => `id-${i}`);

describe('bulk actions in chunks', () => {
  it('sends at most 200 ids per request and adds up the results', async () => {
    const sizes: number[] = [];
    const progress: number[] = [];
    const summary = await runInChunks(
      ids,
      async (part) => {
        sizes.push(part.length);
        return { done: part.length - 1, failed: [{ id: part[0]!, code: 'forbidden', message: 'not yours' }] };
      },
      { onProgress: (sent) => progress.push(sent) },
    );
    expect(sizes).toEqual([200, 200, 50]);
    expect(progress).toEqual([200, 400, 450]);
    expect(summary).toEqual({ done: 447, failed: [expect.objectContaining({ id: 'id-0' }), expect.objectContaining({ id: 'id-200' }), expect.objectContaining({ id: 'id-400' })], skipped: 0 });
  });

  it('counts a failed request as failures of all its ids and goes on', async () => {
    let call = 0;
    const summary = await runInChunks(
      ids,
      async (part) => {
        call += 1;
        if (call === 2) throw new Error('offline');
        return { done: part.length, failed: [] };
      },
      { describe: () => ({ code: 'network', message: 'Cannot reach the server' }) },
    );
    expect(summary.done).toBe(250);
    expect(summary.failed).toHaveLength(200);
    expect(summary.failed[0]).toEqual({ id: 'id-200', code: 'network', message: 'Cannot reach the server' });
  });

  it('stops between chunks', async () => {
    let stop = false;
    const summary = await runInChunks(
      ids,
      async (part) => {
        stop = true;
        return { done: part.length, failed: [] };
      },
      { stopped: () => stop },
    );
    expect(summary).toEqual({ done: 200, failed: [], skipped: 250 });
  });
});
