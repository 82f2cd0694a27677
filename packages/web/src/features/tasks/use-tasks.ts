import type {
  ChecklistItemUpdateBody,
  PageOf,
  RecurrencePreview,
  Task,
  TaskBody,
  TaskComment,
  TaskListQuery,
  TaskTemplate,
  TaskTemplateBody,
  TaskTemplateUpdateBody,
  TaskUpdateBody,
} from '@rapport/shared';
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/api-client';

/** Every task query starts with this key: a live "task changed" event refreshes them all. */
export const TASKS_KEY = 'tasks';

export const taskKeys = {
  list: (query: Omit<TaskListQuery, 'cursor'>) => [TASKS_KEY, 'list', query] as const,
  one: (id: string | undefined) => [TASKS_KEY, 'one', id] as const,
  comments: (id: string) => [TASKS_KEY, 'comments', id] as const,
  templates: [TASKS_KEY, 'templates'] as const,
  settings: [TASKS_KEY, 'settings'] as const,
};

export function useTaskPages(query: Omit<TaskListQuery, 'cursor'>, enabled = true) {
  return useInfiniteQuery({
    queryKey: taskKeys.list(query),
    queryFn: ({ pageParam, signal }) => api<PageOf<Task>>('GET', '/tasks', { query: { ...query, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useTask(id: string | undefined) {
  return useQuery({ queryKey: taskKeys.one(id), queryFn: () => api<Task>('GET', `/tasks/${id}`), enabled: Boolean(id) });
}

/** After any change: the task's own query gets the answer, lists refetch. */
function useTaskSaved() {
  const queryClient = useQueryClient();
  return (task: Task) => {
    queryClient.setQueryData(taskKeys.one(task.id), task);
    void queryClient.invalidateQueries({ queryKey: [TASKS_KEY, 'list'] });
  };
}

export function useCreateTask() {
  const saved = useTaskSaved();
  return useMutation({ mutationFn: (body: TaskBody) => api<Task>('POST', '/tasks', { body }), onSuccess: saved });
}

export function useUpdateTask() {
  const saved = useTaskSaved();
  return useMutation({ mutationFn: ({ id, body }: { id: string; body: TaskUpdateBody }) => api<Task>('PATCH', `/tasks/${id}`, { body }), onSuccess: saved });
}

export function useTickItem() {
  const saved = useTaskSaved();
  return useMutation({
    mutationFn: ({ id, itemId, body }: { id: string; itemId: string; body: ChecklistItemUpdateBody }) => api<Task>('PATCH', `/tasks/${id}/checklist/${itemId}`, { body }),
    onSuccess: saved,
  });
}

/** The recycle bin's queries start with this key (its tasks tab included). */
export const RECYCLE_BIN_KEY = 'recycle-bin';

export function useDeleteTask() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, stopRepeating }: { id: string; stopRepeating?: boolean }) => api<void>('DELETE', `/tasks/${id}`, { query: { stopRepeating: stopRepeating ? true : undefined } }),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: [TASKS_KEY, 'list'] }), queryClient.invalidateQueries({ queryKey: [RECYCLE_BIN_KEY] })]),
  });
}

export function useRestoreTask() {
  const saved = useTaskSaved();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<Task>('POST', `/tasks/${id}/restore`),
    onSuccess: (task) => {
      saved(task);
      return queryClient.invalidateQueries({ queryKey: [RECYCLE_BIN_KEY] });
    },
  });
}

export function useTaskComments(id: string) {
  return useQuery({ queryKey: taskKeys.comments(id), queryFn: () => api<PageOf<TaskComment>>('GET', `/tasks/${id}/comments`, { query: { limit: 200 } }) });
}

export function useAddComment(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: string) => api<TaskComment>('POST', `/tasks/${id}/comments`, { body: { body } }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: taskKeys.comments(id) });
      void queryClient.invalidateQueries({ queryKey: taskKeys.one(id) });
    },
  });
}

export function useDeleteComment(taskId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>('DELETE', `/task-comments/${id}`),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: taskKeys.comments(taskId) }), queryClient.invalidateQueries({ queryKey: taskKeys.one(taskId) })]),
  });
}

export function useTaskTemplates(enabled = true) {
  return useQuery({ queryKey: taskKeys.templates, queryFn: async () => (await api<{ items: TaskTemplate[] }>('GET', '/task-templates')).items, enabled, staleTime: 60_000 });
}

export function useSaveTemplate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: TaskTemplateBody | TaskTemplateUpdateBody }) =>
      id ? api<TaskTemplate>('PATCH', `/task-templates/${id}`, { body }) : api<TaskTemplate>('POST', '/task-templates', { body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: taskKeys.templates }),
  });
}

export function useDeleteTemplate() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: (id: string) => api<void>('DELETE', `/task-templates/${id}`), onSuccess: () => queryClient.invalidateQueries({ queryKey: taskKeys.templates }) });
}

/** The next due times of a rule, checked by the server (which also says why a rule is refused). */
export function useRecurrencePreview(rule: string | null, dueAt: string | null) {
  return useQuery({
    queryKey: [TASKS_KEY, 'preview', rule, dueAt],
    queryFn: () => api<RecurrencePreview>('POST', '/tasks/recurrence-preview', { body: { rule, dueAt } }),
    enabled: Boolean(rule && dueAt),
    retry: false,
    staleTime: Infinity,
  });
}

export function useTaskSettings(enabled: boolean) {
  return useQuery({ queryKey: taskKeys.settings, queryFn: () => api<{ overdueEscalationHours: number | null }>('GET', '/settings/tasks'), enabled });
}

export function useSaveTaskSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (overdueEscalationHours: number | null) => api<{ overdueEscalationHours: number | null }>('PATCH', '/settings/tasks', { body: { overdueEscalationHours } }),
    onSuccess: (settings) => queryClient.setQueryData(taskKeys.settings, settings),
  });
}
