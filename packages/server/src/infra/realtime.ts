import { EventEmitter } from 'node:events';
import type { PermissionObject } from '@rapport/shared';
import pg from 'pg';

export interface RealtimeEvent {
  workspaceId: string;
  /** Only this user's streams receive it; null means everyone in the workspace. */
  userId: string | null;
  type: string;
  data: Record<string, unknown>;
  /** For an event about one record: only streams whose user may read that record receive it. */
  record?: { object: PermissionObject; ownerId: string | null; teamId: string | null };
}

/** Fans events out to every process's open SSE streams. */
export interface RealtimeBus {
  publish(event: RealtimeEvent): Promise<void>;
  subscribe(listener: (event: RealtimeEvent) => void): () => void;
  close(): Promise<void>;
}

function localFanOut() {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    emit: (event: RealtimeEvent) => emitter.emit('event', event),
    subscribe(listener: (event: RealtimeEvent) => void) {
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    },
  };
}

/** One process (the embedded mode is single-process by its lock): events stay in memory. */
export function createLocalBus(): RealtimeBus {
  const fan = localFanOut();
  return { publish: async (event) => void fan.emit(event), subscribe: fan.subscribe, close: async () => undefined };
}

const CHANNEL = 'rapport_realtime';

/** Several processes on one PostgreSQL: LISTEN/NOTIFY carries events between them. */
export async function createPgBus(connectionString: string): Promise<RealtimeBus> {
  const fan = localFanOut();
  const listener = new pg.Client({ connectionString });
  const publisher = new pg.Pool({ connectionString, max: 2 });
  await listener.connect();
  listener.on('notification', (message) => {
    if (message.channel === CHANNEL && message.payload) fan.emit(JSON.parse(message.payload) as RealtimeEvent);
  });
  await listener.query(`LISTEN ${CHANNEL}`);
  return {
    async publish(event) {
      await publisher.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(event)]);
    },
    subscribe: fan.subscribe,
    async close() {
      await listener.end();
      await publisher.end();
    },
  };
}
