import { Deal, DealBoardQuery, DealMoveBody, DealStageHistory, MoneySum } from '@rapport/shared';
import { Type } from 'typebox';
import { hideFields } from '../../core/field-rules.js';
import { ctxOf, expectedVersion } from '../../http/access.js';
import { IdParams, type App } from '../../http/app-types.js';
import type { Services } from '../../services.js';
import { visible } from '../client-record/client-record.routes.js';

const TAG = { tags: ['deals'] };

/** What deals have beyond the shared client-record surface (list, card, create, edit, delete, bulk): the board and stages. */
export function dealRoutes(app: App, services: Services): void {
  const Out = visible(Deal);
  const BoardOut = Type.Object({ pipelineId: Type.String({ format: 'uuid' }), columns: Type.Array(Type.Object({ stageId: Type.String({ format: 'uuid' }), count: Type.Integer(), sums: Type.Array(MoneySum), items: Type.Array(Out) })) });

  app.get('/api/v1/deals/board', { config: { access: { object: 'deal', action: 'read' } }, schema: { ...TAG, querystring: DealBoardQuery, response: { 200: BoardOut } } }, async (request) => {
    const ctx = ctxOf(request);
    const board = await services.deal.board(ctx, request.query);
    return { ...board, columns: board.columns.map((column) => ({ ...column, items: column.items.map((deal) => hideFields(ctx.actor, 'deal', deal)) })) };
  });

  app.post('/api/v1/deals/:id/move', { config: { access: { object: 'deal', action: 'update' } }, schema: { ...TAG, params: IdParams, body: DealMoveBody, response: { 200: Out } } }, async (request) => {
    const ctx = ctxOf(request);
    const { version, ...move } = request.body;
    return hideFields(ctx.actor, 'deal', await services.deal.move(ctx, request.params.id, move, expectedVersion(request, version)));
  });

  app.get('/api/v1/deals/:id/stages', { config: { access: { object: 'deal', action: 'read' } }, schema: { ...TAG, params: IdParams, response: { 200: DealStageHistory } } }, (request) =>
    services.deal.stageHistory(ctxOf(request), request.params.id),
  );
}
