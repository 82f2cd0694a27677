/**
 * Child process: the real Rapport server (startServer over loadConfig) for load benchmarks, so the load
 * generator does not share its event loop. Config comes from the JSON env object in BENCH_RAPPORT_ENV;
 * answers `{ type: 'ready', url }` over IPC and stops on SIGTERM or a `stop` message.
 */
import { loadConfig } from '../../packages/server/src/infra/config.js';
import { createLogger } from '../../packages/server/src/infra/logger.js';
import { startServer } from '../../packages/server/src/main.js';

const env = JSON.parse(process.env.BENCH_RAPPORT_ENV ?? '{}') as Record<string, string>;
const config = loadConfig(env);
const server = await startServer(config, createLogger(config.logLevel));

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('message', (message) => {
  if (message === 'stop') void stop();
});
process.send?.({ type: 'ready', url: server.url, workers: config.runWorkers || !config.databaseUrl });
