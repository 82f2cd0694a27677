import type { Attachment, ClientObject, DocumentFormat, DocumentTemplate, DocumentTemplateList, Locale } from '@rapport/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/api-client';
import { useRefreshRecordFiles } from '../attachments/use-attachments';

const TEMPLATES_KEY = 'document-templates';

export const templateFileUrl = (id: string) => `/api/v1/document-templates/${id}/file`;

/** The live templates (for one kind of record when `object` is given). */
export function useDocumentTemplates(object?: ClientObject) {
  return useQuery({ queryKey: [TEMPLATES_KEY, object ?? 'all'], queryFn: () => api<DocumentTemplateList>('GET', '/document-templates', { query: object ? { object } : {} }) });
}

function useInvalidateTemplates() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: [TEMPLATES_KEY] });
}

export interface TemplateUpload {
  file: File;
  name: string;
  object: ClientObject;
  locale: Locale;
}

export function useUploadTemplate() {
  const invalidate = useInvalidateTemplates();
  return useMutation({
    mutationFn: ({ file, name, object, locale }: TemplateUpload) => api<DocumentTemplate>('POST', '/document-templates', { file, query: { name, object, locale, fileName: file.name } }),
    onSuccess: invalidate,
  });
}

export function useUpdateTemplate() {
  const invalidate = useInvalidateTemplates();
  return useMutation({
    mutationFn: ({ id, name, version }: { id: string; name: string; version: number }) => api<DocumentTemplate>('PATCH', `/document-templates/${id}`, { body: { name, version } }),
    onSettled: invalidate,
  });
}

export function useArchiveTemplate() {
  const invalidate = useInvalidateTemplates();
  return useMutation({ mutationFn: (id: string) => api<void>('DELETE', `/document-templates/${id}`), onSuccess: invalidate });
}

/** The document lands among the record's files (and on its timeline). */
export function useGenerateDocument(object: ClientObject, id: string) {
  const refresh = useRefreshRecordFiles(object, id);
  return useMutation({
    mutationFn: ({ templateId, format }: { templateId: string; format: DocumentFormat }) => api<Attachment>('POST', `/documents/${object}/${id}`, { body: { templateId, format } }),
    onSuccess: refresh,
  });
}
