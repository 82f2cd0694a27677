import type { Session } from './factories.js';

export interface StreamEvent {
  event: string;
  data: Record<string, unknown>;
}

/** An open SSE stream read through node's fetch, as a browser tab would hold it. */
export interface OpenStream {
  events: StreamEvent[];
  status: number;
  contentType: string | null;
  /** True once the server ended the stream (not when close() aborted it). */
  readonly ended: boolean;
  close(): Promise<void>;
}

export async function openStream(baseUrl: string, session: Session): Promise<OpenStream> {
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}/api/v1/stream`, { headers: { cookie: `rapport_session=${session.cookie}` }, signal: abort.signal });
  const events: StreamEvent[] = [];
  let ended = false;
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const reading = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          ended = true;
          return;
        }
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event) events.push({ event, data: data ? (JSON.parse(data) as Record<string, unknown>) : {} });
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return {
    events,
    status: response.status,
    contentType: response.headers.get('content-type'),
    get ended() {
      return ended;
    },
    async close() {
      abort.abort();
      await reading;
    },
  };
}
