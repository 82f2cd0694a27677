import { WorkspaceSettings, WorkspaceSettingsBody } from '@rapport/shared';
import { ctxOf, expectedVersion } from '../../http/access.js';
import type { App } from '../../http/app-types.js';
import type { Services } from '../../services.js';

const TAG = { tags: ['workspace'] };

export function workspaceRoutes(app: App, services: Services): void {
  app.get('/api/v1/workspace', { config: { access: { object: 'settings', action: 'read' } }, schema: { ...TAG, description: "The workspace's settings, with the payment details documents print.", response: { 200: WorkspaceSettings } } }, (request) =>
    services.workspace.get(ctxOf(request)),
  );

  app.put(
    '/api/v1/workspace/payment-details',
    { config: { access: { object: 'settings', action: 'update' } }, schema: { ...TAG, description: "Replaces the workspace's payment details (with the workspace's version).", body: WorkspaceSettingsBody, response: { 200: WorkspaceSettings } } },
    (request) => services.workspace.updatePaymentDetails(ctxOf(request), request.body.paymentDetails, expectedVersion(request, request.body.version)),
  );
}
