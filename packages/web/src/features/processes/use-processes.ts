import type {
  ElementMark,
  ProcessComment,
  ProcessCommentCreate,
  ProcessDefinition,
  ProcessDefinitionCreate,
  ProcessDefinitionUpdate,
  ProcessInstance,
  ProcessInstanceCard,
  ProcessInstanceList,
  ProcessInstanceState,
  ProcessRecordType,
  ProcessStartable,
  ProcessTaskOf,
  ProcessValidation,
  ProcessVersion,
  ProcessVersionDetail,
} from '@rapport/shared';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/api-client';

const DEFINITIONS_KEY = ['process-definitions'] as const;
const INSTANCES_KEY = ['process-instances'] as const;
/** How often a map or list of running instances is looked at again. */
const LIVE_MS = 5_000;

export function useProcessDefinitions() {
  return useQuery({ queryKey: DEFINITIONS_KEY, queryFn: async () => (await api<{ items: ProcessDefinition[] }>('GET', '/process-definitions')).items });
}

export function useProcessDefinition(id: string | undefined) {
  // The designer keeps its own diagram once loaded: a background refetch must not replace what the user is drawing.
  return useQuery({ queryKey: [...DEFINITIONS_KEY, 'one', id], queryFn: () => api<ProcessDefinition>('GET', `/process-definitions/${id}`), enabled: Boolean(id), refetchOnWindowFocus: false });
}

function useRefresh() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: DEFINITIONS_KEY });
}

export function useCreateProcessDefinition() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (body: ProcessDefinitionCreate) => api<ProcessDefinition>('POST', '/process-definitions', { body }), onSuccess: refresh });
}

export function useUpdateProcessDefinition() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: ProcessDefinitionUpdate }) => api<ProcessDefinition>('PATCH', `/process-definitions/${id}`, { body }),
    onSuccess: (saved) => {
      queryClient.setQueryData([...DEFINITIONS_KEY, 'one', saved.id], saved);
      void queryClient.invalidateQueries({ queryKey: DEFINITIONS_KEY, exact: true });
    },
  });
}

export function useDeleteProcessDefinition() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (definition: ProcessDefinition) => api<void>('DELETE', `/process-definitions/${definition.id}`, { query: { version: definition.version } }), onSuccess: refresh });
}

/** Validates the saved draft, or deploys it as a new version when it has no problems. */
export function useCheckProcessDefinition() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, deploy }: { id: string; deploy: boolean }) => api<ProcessValidation>('POST', `/process-definitions/${id}/${deploy ? 'deploy' : 'validate'}`),
    onSuccess: (result) => {
      if (result.deployedVersion !== null) void refresh();
    },
  });
}

export function useProcessVersions(id: string | null | undefined) {
  return useQuery({ queryKey: [...DEFINITIONS_KEY, 'versions', id], queryFn: async () => (await api<{ items: ProcessVersion[] }>('GET', `/process-definitions/${id}/versions`)).items, enabled: Boolean(id) });
}

/** A deployed version with its XML: it never changes, so it is fetched once. */
export function useProcessVersion(id: string | undefined, number: number | null | undefined) {
  return useQuery({ queryKey: [...DEFINITIONS_KEY, 'version', id, number], queryFn: () => api<ProcessVersionDetail>('GET', `/process-definitions/${id}/versions/${number}`), enabled: Boolean(id && number), staleTime: Infinity });
}

/** How many instances of a version wait, failed or passed at each element. */
export function useVersionMarks(id: string | undefined, number: number | null | undefined) {
  return useQuery({
    queryKey: [...DEFINITIONS_KEY, 'marks', id, number],
    queryFn: async () => (await api<{ items: ElementMark[] }>('GET', `/process-definitions/${id}/versions/${number}/marks`)).items,
    enabled: Boolean(id && number),
    refetchInterval: LIVE_MS,
  });
}

export interface InstanceFilters {
  definitionId: string | null;
  definitionVersion: number | null;
  state: ProcessInstanceState | null;
  recordType?: ProcessRecordType | null;
  recordId?: string | null;
}

export function useProcessInstancePages(filters: InstanceFilters) {
  return useInfiniteQuery({
    queryKey: [...INSTANCES_KEY, 'list', filters],
    queryFn: ({ pageParam }) => api<ProcessInstanceList>('GET', '/process-instances', { query: { ...filters, limit: 50, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

export function useProcessInstance(id: string | undefined) {
  return useQuery({
    queryKey: [...INSTANCES_KEY, 'one', id],
    queryFn: () => api<ProcessInstanceCard>('GET', `/process-instances/${id}`),
    enabled: Boolean(id),
    refetchInterval: (query) => (query.state.data?.state === 'running' ? LIVE_MS : false),
  });
}

/** Where one instance has been, is, and failed; looked at again while it runs. */
export function useInstanceMarks(id: string | undefined, live: boolean) {
  return useQuery({ queryKey: [...INSTANCES_KEY, 'marks', id], queryFn: async () => (await api<{ items: ElementMark[] }>('GET', `/process-instances/${id}/marks`)).items, enabled: Boolean(id), refetchInterval: live ? LIVE_MS : false });
}

/** A record's process instances (its card's list), running and finished, newest first. */
export function useRecordProcessInstances(recordType: ProcessRecordType, recordId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...INSTANCES_KEY, 'list', 'record', recordType, recordId],
    queryFn: async () => (await api<ProcessInstanceList>('GET', '/process-instances', { query: { recordType, recordId, limit: 50 } })).items,
    enabled,
  });
}

/** Deployed processes a record's card may start by hand. */
export function useStartableProcesses(recordType: ProcessRecordType, enabled: boolean) {
  return useQuery({ queryKey: [...DEFINITIONS_KEY, 'startable', recordType], queryFn: async () => (await api<{ items: ProcessStartable[] }>('GET', '/process-definitions/startable', { query: { recordType } })).items, enabled });
}

function useRefreshInstances() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: INSTANCES_KEY });
}

export function useStartProcess() {
  const refresh = useRefreshInstances();
  return useMutation({
    mutationFn: ({ definitionId, record }: { definitionId: string; record: { type: ProcessRecordType; id: string } }) => api<ProcessInstance>('POST', `/process-definitions/${definitionId}/instances`, { body: { record } }),
    onSuccess: refresh,
  });
}

/** An administrative action on an instance: suspend, resume, cancel, retry. */
export function useInstanceAction(id: string) {
  const refresh = useRefreshInstances();
  return useMutation({ mutationFn: (action: 'suspend' | 'resume' | 'cancel' | 'retry') => api<ProcessInstance>('POST', `/process-instances/${id}/${action}`), onSuccess: refresh });
}

/** Sets (a value) or removes (null) variables, based on the instance version the card shows. */
export function useSetVariables(id: string) {
  const refresh = useRefreshInstances();
  return useMutation({ mutationFn: (body: { version: number; variables: Record<string, unknown> }) => api<ProcessInstance>('PATCH', `/process-instances/${id}/variables`, { body }), onSuccess: refresh });
}

export function useReassignProcessTask(id: string) {
  const refresh = useRefreshInstances();
  return useMutation({ mutationFn: ({ taskId, assigneeId }: { taskId: string; assigneeId: string }) => api<ProcessInstance>('POST', `/process-instances/${id}/tasks/${taskId}/reassign`, { body: { assigneeId } }), onSuccess: refresh });
}

export function useProcessComments(id: string | undefined) {
  return useQuery({ queryKey: [...INSTANCES_KEY, 'comments', id], queryFn: async () => (await api<{ items: ProcessComment[] }>('GET', `/process-instances/${id}/comments`)).items, enabled: Boolean(id) });
}

export function useAddProcessComment(id: string) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: (body: ProcessCommentCreate) => api<ProcessComment>('POST', `/process-instances/${id}/comments`, { body }), onSuccess: () => queryClient.invalidateQueries({ queryKey: [...INSTANCES_KEY, 'comments', id] }) });
}

/** The process step a task of the task list is (null for an ordinary task). */
export function useTaskProcessStep(taskId: string) {
  return useQuery({ queryKey: [...INSTANCES_KEY, 'task-step', taskId], queryFn: async () => (await api<ProcessTaskOf>('GET', `/process-tasks/${taskId}`)).step });
}

/** Completes a process's user task with its form's values: the task is done and the process moves on. */
export function useCompleteProcessTask() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ instanceId, taskId, data }: { instanceId: string; taskId: string; data: Record<string, unknown> }) => api<ProcessInstance>('POST', `/process-instances/${instanceId}/tasks/${taskId}/complete`, { body: { data } }),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: INSTANCES_KEY }), queryClient.invalidateQueries({ queryKey: ['tasks'] })]),
  });
}
