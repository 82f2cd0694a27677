import { BOARD_CARDS } from '@rapport/shared';
import type { Benchmark } from '../lib/benchmark.js';
import { runClientBaseBenchmark, SALES_CEILING, type KindedRequest } from '../lib/client-base-bench.js';
import type { Target as PassTarget } from '../lib/results.js';
import { biggestPipeline } from '../lib/sales.js';

const TARGET: PassTarget = { field: 'value', op: '<=', threshold: 50 };
/** Cards per column, as the board page first asks for them (the endpoint's default; "Show more" asks for more). */
const PER_STAGE = BOARD_CARDS;

/**
 * The pipeline board: GET /api/v1/deals/board?pipelineId=… of the pipeline with the most deals, as the board page loads
 * it (no quick text or filter): per stage the newest cards (20, as the board page opens), the column's count and its sums per currency.
 */
export const kanban: Benchmark = {
  name: 'kanban',
  description: 'GET /api/v1/deals/board (the biggest pipeline: cards, counts, sums per stage): p95 vs bare Fastify + pg',
  run: (ctx) =>
    runClientBaseBenchmark(ctx, {
      name: 'kanban',
      metric: `p95 latency, GET /api/v1/deals/board?pipelineId=<biggest pipeline> (${PER_STAGE} cards per stage, counts, sums; ${ctx.options.latencyConnections} connections)`,
      target: TARGET,
      mode: 'latency',
      endpoint: 'GET /api/v1/deals/board?pipelineId=…',
      base: 'deals',
      ceiling: SALES_CEILING,
      async workload(sql, fixture) {
        const pipeline = await biggestPipeline(sql, fixture.workspaceId);
        const requests: KindedRequest[] = [{ kind: 'board', path: `/api/v1/deals/board?pipelineId=${pipeline.id}` }];
        return { requests, notes: { pipeline: pipeline.name, pipelineDeals: pipeline.deals, cardsPerStage: PER_STAGE } };
      },
      serve: (services, ctx, request) => services.deal.board(ctx, { pipelineId: new URL(request.path, 'http://bench').searchParams.get('pipelineId') ?? undefined }),
    }),
};
