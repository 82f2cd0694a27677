import type { PageOf, Product, ProductBody, ProductUpdateBody } from '@rapport/shared';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/api-client';

const PRODUCTS_KEY = ['products'] as const;
const PAGE = 50;

export function useProductPages(search: string, includeArchived: boolean) {
  const q = search.trim();
  return useInfiniteQuery({
    queryKey: [...PRODUCTS_KEY, 'pages', q, includeArchived],
    queryFn: ({ pageParam }) => api<PageOf<Product>>('GET', '/products', { query: { limit: PAGE, cursor: pageParam, q: q || undefined, includeArchived: includeArchived || undefined } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

function useRefresh() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: PRODUCTS_KEY });
}

export function useCreateProduct() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: (body: ProductBody) => api<Product>('POST', '/products', { body }), onSuccess: refresh });
}

export function useUpdateProduct() {
  const refresh = useRefresh();
  return useMutation({ mutationFn: ({ id, body }: { id: string; body: ProductUpdateBody }) => api<Product>('PATCH', `/products/${id}`, { body }), onSettled: refresh });
}

/** Archives (`archived: true`) or restores a product. */
export function useSetProductArchived() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: async ({ id, archived }: { id: string; archived: boolean }): Promise<void> => {
      if (archived) await api<void>('DELETE', `/products/${id}`);
      else await api<Product>('POST', `/products/${id}/restore`);
    },
    onSuccess: refresh,
  });
}
