import { Notification, Portal, Stack } from '@mantine/core';
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface Toast {
  id: number;
  message: string;
  title?: string;
  color: 'red' | 'green' | 'blue' | 'yellow';
}

type ShowToast = (toast: Omit<Toast, 'id'>) => void;

const ToastContext = createContext<ShowToast>(() => undefined);

const DISMISS_MS = 6000;

/** A small toast stack: Mantine's notifications package has no release for this Mantine line yet. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((current) => current.filter((toast) => toast.id !== id)), []);
  const show = useCallback<ShowToast>(
    (toast) => {
      const id = nextId.current++;
      setToasts((current) => [...current.slice(-3), { ...toast, id }]);
      window.setTimeout(() => dismiss(id), DISMISS_MS);
    },
    [dismiss],
  );
  const value = useMemo(() => show, [show]);

  return (
    <ToastContext.Provider value={value}>
      {children}
      <Portal>
        <Stack gap="xs" role="status" aria-live="polite" style={{ position: 'fixed', right: 16, bottom: 16, zIndex: 1000, width: 'min(380px, calc(100vw - 32px))' }}>
          {toasts.map((toast) => (
            <Notification key={toast.id} color={toast.color} title={toast.title} onClose={() => dismiss(toast.id)} closeButtonProps={{ 'aria-label': t('common.close') }} withBorder>
              {toast.message}
            </Notification>
          ))}
        </Stack>
      </Portal>
    </ToastContext.Provider>
  );
}

export function useToast(): ShowToast {
  return useContext(ToastContext);
}
