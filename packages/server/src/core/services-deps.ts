import type { Config } from '../infra/config.js';
import type { Clock } from '../infra/clock.js';
import type { Db } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';

/** What every service factory receives from the composition root. */
export interface ServiceDeps {
  db: Db;
  clock: Clock;
  config: Pick<Config, 'publicUrl' | 'smtpUrl'>;
  logger: Logger;
}
