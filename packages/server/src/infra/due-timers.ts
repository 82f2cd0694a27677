import type { Executor, Tx } from './db.js';

/**
 * One kind of durable timer (reminders, overdue notices, series occurrences…): rows with a "fired" column that the
 * due-timer loop (jobs/due-scheduler.ts) fires in every worker process. Exactly once comes from the row lock, not from
 * a queue: `fireDue` claims due rows with FOR UPDATE SKIP LOCKED, does their work and marks them fired in the same
 * transaction.
 */
export interface DueKind {
  name: string;
  /** Fires up to `limit` items due at `now` in the transaction; returns how many it claimed. */
  fireDue(trx: Tx, now: Date, limit: number): Promise<number>;
  /** Marks the earliest due item fired without doing its work: the way past one whose work keeps failing. */
  discardFirst(trx: Tx, now: Date): Promise<string | undefined>;
  /** The earliest pending fire time, or null. */
  nextAt(ex: Executor): Promise<Date | null>;
  /**
   * Work `fireDue` claimed but that must not run inside a transaction (it opens its own, or calls out over the network),
   * done after the claiming transaction committed.
   */
  afterCommit?(): Promise<void>;
}

/** Lets code that writes a timer wake this process's loop when the new timer is earlier than the one it sleeps towards. */
export interface DueSignal {
  wake(at: Date): void;
  listen(listener: (at: Date) => void): () => void;
}

export function createDueSignal(): DueSignal {
  const listeners = new Set<(at: Date) => void>();
  return {
    wake: (at) => {
      for (const listener of listeners) listener(at);
    },
    listen: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
