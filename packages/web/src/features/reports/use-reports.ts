import type { ReportName, ReportQuery } from '@rapport/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, apiUrl } from '../../api/api-client';

/** One report for the filters; the last one stays on screen while the next loads. */
export function useReport<T>(name: ReportName, query: ReportQuery) {
  return useQuery({ queryKey: ['report', name, query], queryFn: ({ signal }) => api<T>('GET', `/reports/${name}`, { query: { ...query }, signal }), placeholderData: keepPreviousData });
}

/** Where the report's CSV downloads from (the session cookie goes with a plain link). */
export function reportCsvUrl(name: ReportName, query: ReportQuery): string {
  return apiUrl(`/reports/${name}.csv`, { ...query });
}
