import type { Clock } from '../infra/clock.js';
import type { Db } from '../infra/db.js';
import type { DueKind, DueSignal } from '../infra/due-timers.js';
import type { Logger } from '../infra/logger.js';

const BATCH = 100;
/** The loop never sleeps longer than this, so a timer written by another process fires at most this late. */
const MAX_SLEEP_MS = 1_000;
/** Due rows another process holds (SKIP LOCKED passed them over) are looked at again after this pause, not in a spin. */
const BUSY_SLEEP_MS = 25;

export interface DueScheduler {
  stop(): Promise<void>;
  /** Fires everything due now (tests and benchmarks); returns how many items fired. */
  runOnce(): Promise<number>;
}

/**
 * The due-timer loop of one worker process: fires every due item of each kind, then sleeps until the earliest pending
 * one (capped at a second, woken early by the DueSignal). After downtime the first pass fires everything overdue.
 * "Now" comes from the Clock and goes into SQL as a parameter, so tests can move time.
 */
export function startDueScheduler(deps: { db: Db; clock: Clock; logger: Logger; signal: DueSignal; kinds: DueKind[] }): DueScheduler {
  let stopped = false;
  let wakeAt = Number.POSITIVE_INFINITY;
  let wakeUp: (() => void) | undefined;
  // A timer written while a pass is running may be one the pass missed: the next sleep is then skipped.
  let poked = false;
  const unlisten = deps.signal.listen((at) => {
    if (!wakeUp) poked = true;
    else if (at.getTime() < wakeAt) wakeUp();
  });

  async function fireKind(kind: DueKind, now: Date): Promise<number> {
    let total = 0;
    for (;;) {
      let count: number;
      try {
        count = await deps.db.transaction().execute((trx) => kind.fireDue(trx, now, BATCH));
        await kind.afterCommit?.();
      } catch (error) {
        deps.logger.error({ err: error, kind: kind.name }, 'due timers failed; retrying one by one');
        count = await fireOneOrDiscard(kind, now);
      }
      total += count;
      if (count < BATCH) return total;
    }
  }

  /** One item alone; if it still fails, it is marked fired (and logged) so the ones behind it are not held up. */
  async function fireOneOrDiscard(kind: DueKind, now: Date): Promise<number> {
    try {
      const count = await deps.db.transaction().execute((trx) => kind.fireDue(trx, now, 1));
      await kind.afterCommit?.();
      return count;
    } catch (error) {
      const discarded = await deps.db.transaction().execute((trx) => kind.discardFirst(trx, now));
      deps.logger.error({ err: error, kind: kind.name, item: discarded }, 'a due timer kept failing and was discarded');
      return discarded ? 1 : 0;
    }
  }

  async function runOnce(): Promise<number> {
    const now = deps.clock.now();
    let fired = 0;
    for (const kind of deps.kinds) fired += await fireKind(kind, now);
    return fired;
  }

  async function nextWait(fired: number): Promise<number> {
    let next = Number.POSITIVE_INFINITY;
    for (const kind of deps.kinds) {
      const at = await kind.nextAt(deps.db);
      if (at) next = Math.min(next, at.getTime());
    }
    const wait = Math.min(MAX_SLEEP_MS, next - deps.clock.now().getTime());
    return wait > 0 ? wait : fired > 0 ? 0 : BUSY_SLEEP_MS;
  }

  function sleep(ms: number): Promise<void> {
    if (poked) {
      poked = false;
      return Promise.resolve();
    }
    wakeAt = deps.clock.now().getTime() + ms;
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        wakeAt = Number.POSITIVE_INFINITY;
        resolve();
      }
      wakeUp = done;
    });
  }

  async function loop(): Promise<void> {
    while (!stopped) {
      let wait = MAX_SLEEP_MS;
      try {
        const fired = await runOnce();
        wait = await nextWait(fired);
      } catch (error) {
        deps.logger.error({ err: error }, 'due-timer loop failed');
      }
      if (!stopped && wait > 0) await sleep(wait);
    }
  }
  const running = loop();

  return {
    async stop() {
      stopped = true;
      unlisten();
      wakeUp?.();
      await running;
    },
    runOnce,
  };
}
