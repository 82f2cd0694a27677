import type { ReactNode } from 'react';
import { Outlet, Navigate, useLocation } from 'react-router';
import { FullPageLoader } from '../components/full-page-loader';
import { QueryStatus } from '../components/query-status';
import { AppLayout } from './app-layout';
import { SessionProvider, useMeQuery, useSetupStatus } from './session';

/** Until the first workspace exists, every route leads to the setup form; afterwards the form is gone. */
export function SetupGate() {
  const { pathname } = useLocation();
  const setup = useSetupStatus();
  if (setup.isPending) return <FullPageLoader />;
  if (setup.error) {
    return (
      <div style={{ padding: 24 }}>
        <QueryStatus isPending={false} error={setup.error} onRetry={() => void setup.refetch()}>
          {null}
        </QueryStatus>
      </div>
    );
  }
  if (!setup.data.setUp && pathname !== '/setup') return <Navigate to="/setup" replace />;
  if (setup.data.setUp && pathname === '/setup') return <Navigate to="/" replace />;
  return <Outlet />;
}

/** The signed-in part of the app: without a session, go to sign-in and come back afterwards. */
export function RequireSession() {
  const location = useLocation();
  const me = useMeQuery();
  if (me.isPending) return <FullPageLoader />;
  if (me.error) {
    return (
      <div style={{ padding: 24 }}>
        <QueryStatus isPending={false} error={me.error} onRetry={() => void me.refetch()}>
          {null}
        </QueryStatus>
      </div>
    );
  }
  if (!me.data) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return (
    <SessionProvider value={me.data}>
      <AppLayout />
    </SessionProvider>
  );
}

/** Only a same-site path is a safe place to return to after sign-in. */
export function safeNext(raw: string | null): string {
  return raw && raw.startsWith('/') && !raw.startsWith('//') ? raw : '/';
}

/** The sign-in page of someone already signed in takes them where they wanted to go. */
export function RedirectIfSignedIn({ children }: { children: ReactNode }) {
  const location = useLocation();
  const me = useMeQuery();
  if (me.isPending) return <FullPageLoader />;
  if (me.data) return <Navigate to={safeNext(new URLSearchParams(location.search).get('next'))} replace />;
  return <>{children}</>;
}
