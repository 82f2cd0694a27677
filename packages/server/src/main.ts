import type { Locale } from '@rapport/shared';
import { openRuntime, type Runtime } from './app-runtime.js';
import { buildHttpApp } from './http/app.js';
import type { App } from './http/app-types.js';
import type { Config } from './infra/config.js';
import type { Logger } from './infra/logger.js';
import { isSetUp } from './modules/workspace/workspace.service.js';
import { seedDemo } from './demo/seed-demo.js';

export interface Server {
  runtime: Runtime;
  app: App;
  url: string;
  close(): Promise<void>;
}

/** Composition root: config → database (+lock) → migrations → jobs → HTTP. */
export async function startServer(config: Config, logger: Logger, options: { demo?: boolean; demoLocale?: Locale } = {}): Promise<Server> {
  const runtime = await openRuntime(config, logger, { workers: config.runWorkers || !config.databaseUrl });
  try {
    if (options.demo && !(await isSetUp(runtime.database.db))) {
      const demo = await seedDemo(runtime.database.db, runtime.services, options.demoLocale);
      logger.info({ logins: demo.logins.map((login) => login.email), password: demo.password }, 'demo workspace created');
    }
    const { app } = await buildHttpApp({ config, db: runtime.database.db, services: runtime.services, bus: runtime.bus, logger });
    const url = await app.listen({ port: config.port, host: config.host });
    return {
      runtime,
      app,
      url,
      async close() {
        await app.close();
        await runtime.close();
      },
    };
  } catch (error) {
    await runtime.close();
    throw error;
  }
}
