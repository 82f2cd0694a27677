import { Alert, Button, Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/api-client';
import { useErrorText } from './error-text';
import { NotAllowed } from './not-allowed';
import { NotFound } from './not-found';

/** Loading, refused and failed states of a page's main query; renders children once data is there. */
export function QueryStatus({ isPending, error, onRetry, children }: { isPending: boolean; error: unknown; onRetry?: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  if (error) {
    if (isApiError(error) && error.status === 403) return <NotAllowed />;
    if (isApiError(error) && error.status === 404) return <NotFound />;
    return (
      <Alert color="red" title={t('common.loadFailed')} role="alert">
        {errorText(error)}
        {onRetry ? (
          <div>
            <Button mt="sm" size="xs" variant="light" color="red" onClick={onRetry}>
              {t('common.retry')}
            </Button>
          </div>
        ) : null}
      </Alert>
    );
  }
  if (isPending) {
    return (
      <Center py="xl">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  }
  return <>{children}</>;
}
