import type {
  BulkBody,
  BulkResult,
  ClientObject,
  DuplicateCandidate,
  DuplicateCheckBody,
  LeadConvertBody,
  Lead,
  MergeBody,
  ObjectField,
  RecordIds,
} from '@rapport/shared';
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/api-client';
import { OBJECTS, type ClientRecord, type RecordOf } from './objects';

export const RECORDS_KEY = 'records';
export const FIELDS_KEY = 'object-fields';

export interface RecordTotal {
  value: number;
  exact: boolean;
}

export interface RecordPage<T> {
  items: T[];
  nextCursor: string | null;
  total: RecordTotal;
}

export interface ListParams {
  q?: string | undefined;
  /** The filter grammar's JSON. */
  filter?: string | undefined;
  /** A field key, `-` in front for descending. */
  sort?: string | undefined;
}

const apiPath = (object: ClientObject) => `/${OBJECTS[object].path}`;

export const recordKeys = {
  all: (object: ClientObject) => [RECORDS_KEY, object] as const,
  list: (object: ClientObject, params: ListParams, limit: number) => [RECORDS_KEY, object, 'list', params, limit] as const,
  one: (object: ClientObject, id: string | undefined) => [RECORDS_KEY, object, 'one', id] as const,
};

/** A keyset-paginated list; the previous pages stay on screen while a new filter or sort loads. */
export function useRecordPages<O extends ClientObject>(object: O, params: ListParams, options: { limit?: number; enabled?: boolean } = {}) {
  const limit = options.limit ?? 50;
  return useInfiniteQuery({
    queryKey: recordKeys.list(object, params, limit),
    queryFn: ({ pageParam, signal }) =>
      api<RecordPage<RecordOf<O>>>('GET', apiPath(object), { query: { limit, cursor: pageParam, q: params.q?.trim(), filter: params.filter, sort: params.sort }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    enabled: options.enabled ?? true,
  });
}

/** Ids of every record matching the list's conditions (up to the server's cap), for "select all matching". */
export function fetchMatchingIds(object: ClientObject, params: Pick<ListParams, 'q' | 'filter'>): Promise<RecordIds> {
  return api<RecordIds>('GET', `${apiPath(object)}/ids`, { query: { q: params.q?.trim() || undefined, filter: params.filter } });
}

export function useRecord<O extends ClientObject>(object: O, id: string | undefined) {
  return useQuery({
    queryKey: recordKeys.one(object, id),
    queryFn: () => api<RecordOf<O>>('GET', `${apiPath(object)}/${id}`),
    enabled: Boolean(id),
  });
}

/** The field catalogue of an object: system and custom fields, their filter operators and sortability. */
export function useObjectFields(object: ClientObject, enabled = true) {
  return useQuery({
    queryKey: [FIELDS_KEY, object],
    queryFn: async () => (await api<{ items: ObjectField[] }>('GET', `/objects/${object}/fields`)).items,
    staleTime: 60_000,
    enabled,
  });
}

export function useSaveRecord<O extends ClientObject>(object: O) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string | undefined; body: Record<string, unknown> }) =>
      id ? api<RecordOf<O>>('PATCH', `${apiPath(object)}/${id}`, { body }) : api<RecordOf<O>>('POST', apiPath(object), { body }),
    onSuccess: (record) => {
      queryClient.setQueryData(recordKeys.one(object, record.id), record);
      return invalidateClientBase(queryClient);
    },
  });
}

export function useDeleteRecord(object: ClientObject) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>('DELETE', `${apiPath(object)}/${id}`),
    onSuccess: () => void invalidateClientBase(queryClient),
  });
}

export function useRestoreRecord() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ object, id }: { object: ClientObject; id: string }) => api<ClientRecord>('POST', `${apiPath(object)}/${id}/restore`),
    onSuccess: () => Promise.all([invalidateClientBase(queryClient), queryClient.invalidateQueries({ queryKey: ['recycle-bin'] })]),
  });
}

export function checkDuplicates(object: ClientObject, body: DuplicateCheckBody): Promise<DuplicateCandidate[]> {
  return api<{ items: DuplicateCandidate[] }>('POST', `${apiPath(object)}/duplicates`, { body }).then((result) => result.items);
}

export function useMerge<O extends ClientObject>(object: O) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: MergeBody) => api<RecordOf<O>>('POST', `${apiPath(object)}/merge`, { body }),
    onSuccess: (survivor) => {
      queryClient.setQueryData(recordKeys.one(object, survivor.id), survivor);
      // Not awaited: the caller moves on to the survivor while lists refresh.
      void invalidateClientBase(queryClient);
    },
  });
}

export function runBulk(object: ClientObject, body: BulkBody, signal?: AbortSignal): Promise<BulkResult> {
  return api<BulkResult>('POST', `${apiPath(object)}/bulk`, { body, signal });
}

export function useConvertPreview(leadId: string, enabled: boolean) {
  return useQuery({
    queryKey: [RECORDS_KEY, 'lead', 'convert-preview', leadId],
    queryFn: () => api<{ contacts: DuplicateCandidate[]; companies: DuplicateCandidate[] }>('GET', `/leads/${leadId}/convert-preview`),
    enabled,
    staleTime: 0,
  });
}

export function useConvertLead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: LeadConvertBody }) => api<{ lead: Lead; contactId: string; companyId: string | null; dealId: string | null }>('POST', `/leads/${id}/convert`, { body }),
    onSuccess: () => Promise.all([invalidateClientBase(queryClient), queryClient.invalidateQueries({ queryKey: ['timeline'] })]),
  });
}

/** Any change to one record can show elsewhere: other lists (a contact's company, a company's people), search, its history. */
export function invalidateClientBase(queryClient: ReturnType<typeof useQueryClient>) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: [RECORDS_KEY] }),
    queryClient.invalidateQueries({ queryKey: ['search'] }),
    queryClient.invalidateQueries({ queryKey: ['timeline'] }),
  ]);
}
