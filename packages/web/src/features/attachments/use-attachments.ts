import type { Attachment, AttachmentList, ClientObject } from '@rapport/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/api-client';
import { TIMELINE_KEY } from '../timeline/use-timeline';

export const ATTACHMENTS_KEY = 'attachments';

/** Where a file is shown (images, PDF) or downloaded; the session cookie authorises it like any API call. */
export const attachmentUrl = (id: string, download = false) => `/api/v1/attachment-files/${id}${download ? '?download=true' : ''}`;

export function useAttachments(object: ClientObject, id: string) {
  return useQuery({ queryKey: [ATTACHMENTS_KEY, object, id], queryFn: () => api<AttachmentList>('GET', `/attachments/${object}/${id}`) });
}

/** Attaching or removing a file also writes the record's timeline. */
export function useRefreshRecordFiles(object: ClientObject, id: string) {
  const queryClient = useQueryClient();
  return () => Promise.all([queryClient.invalidateQueries({ queryKey: [ATTACHMENTS_KEY, object, id] }), queryClient.invalidateQueries({ queryKey: [TIMELINE_KEY, object, id] })]);
}

export function useUploadAttachment(object: ClientObject, id: string) {
  const refresh = useRefreshRecordFiles(object, id);
  return useMutation({
    mutationFn: (file: File) => api<Attachment>('POST', `/attachments/${object}/${id}`, { file, query: { name: file.name } }),
    onSettled: refresh,
  });
}

export function useRemoveAttachment(object: ClientObject, id: string) {
  const refresh = useRefreshRecordFiles(object, id);
  return useMutation({ mutationFn: (attachmentId: string) => api<void>('DELETE', `/attachments/${attachmentId}`), onSuccess: refresh });
}
