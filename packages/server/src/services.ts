import type { ServiceDeps } from './core/services-deps.js';
import type { MailTransport } from './infra/mail.js';
import { createApiKeyService } from './modules/api-key/api-key.service.js';
import { createAuditService } from './modules/audit/audit.service.js';
import { createAuthService } from './modules/auth/auth.service.js';
import { createMailService } from './modules/mail/mail.service.js';
import { createNotificationService } from './modules/notification/notification.service.js';
import { createRoleService } from './modules/role/role.service.js';
import { createSetupService } from './modules/setup/setup.service.js';
import { createTeamService } from './modules/team/team.service.js';
import { createUserService, userExists } from './modules/user/user.service.js';

/** Wires the module services together; the only place that knows all of them. */
export function createServices(deps: ServiceDeps & { transport: MailTransport | undefined; mailFrom: string }) {
  const mail = createMailService(deps);
  const auth = createAuthService(deps);
  return {
    mail,
    auth,
    setup: createSetupService({ ...deps, auth }),
    audit: createAuditService(deps),
    notification: createNotificationService(deps),
    role: createRoleService(deps),
    team: createTeamService(deps, { userExists }),
    user: createUserService({ ...deps, mail }),
    apiKey: createApiKeyService(deps),
  };
}

export type Services = ReturnType<typeof createServices>;
