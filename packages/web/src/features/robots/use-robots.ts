import type { RobotRule, RobotRuleBody, RobotRuleList, RobotRuleUpdateBody, RobotRun, RobotRunList } from '@rapport/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/api-client';

const ROBOTS_KEY = 'robots';
const RUNS_KEY = 'robot-runs';

export function useStageRobots(stageId: string, enabled = true) {
  return useQuery({ queryKey: [ROBOTS_KEY, stageId], queryFn: async () => (await api<RobotRuleList>('GET', '/robots', { query: { stageId } })).items, enabled });
}

function useRefresh() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: [ROBOTS_KEY] });
}

export function useSaveRobot() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: RobotRuleBody | RobotRuleUpdateBody }) =>
      id ? api<RobotRule>('PATCH', `/robots/${id}`, { body }) : api<RobotRule>('POST', '/robots', { body }),
    onSettled: refresh,
  });
}

export function useDeleteRobot() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (rule: RobotRule) => api<void>('DELETE', `/robots/${rule.id}`, { query: { version: rule.version } }), onSettled: refresh });
}

/** What robots did to a deal; while some action is still queued or running, it is looked at again every few seconds. */
export function useRobotRuns(dealId: string) {
  return useQuery({
    queryKey: [RUNS_KEY, dealId],
    queryFn: async () => (await api<RobotRunList>('GET', `/deals/${dealId}/robot-runs`)).items,
    refetchInterval: (query) => ((query.state.data as RobotRun[] | undefined)?.some((run) => run.status === 'queued' || run.status === 'running') ? 2_000 : 10_000),
  });
}
