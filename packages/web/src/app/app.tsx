import { createTheme, MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { RouterProvider } from 'react-router';
import { isApiError, onUnauthenticated } from '../api/api-client';
import { ToastProvider } from '../components/toast-center';
import { createRouter } from './router';
import { endSession, ME_KEY } from './session';

const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'md',
  // Users who ask the OS for less motion get no slide and fade animations.
  respectReducedMotion: true,
  fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  headings: { fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif' },
});

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        // Client errors (refused, missing, invalid) will not get better by asking again.
        retry: (failures, error) => !(isApiError(error) && error.status >= 400 && error.status < 500) && failures < 2,
      },
    },
  });
}

export function App() {
  const [queryClient] = useState(makeQueryClient);
  const [router] = useState(createRouter);

  // A session that ends under the user's feet (expired, signed out elsewhere) sends them to sign in again.
  useEffect(
    () =>
      onUnauthenticated(() => {
        if (queryClient.getQueryData(ME_KEY)) endSession(queryClient);
      }),
    [queryClient],
  );

  return (
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <ToastProvider>
          <RouterProvider router={router} />
        </ToastProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
