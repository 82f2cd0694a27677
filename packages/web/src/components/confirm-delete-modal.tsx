import { useTranslation } from 'react-i18next';
import { ConfirmModal } from './confirm-modal';
import { useErrorText } from './error-text';
import { useToast } from './toast-center';

/**
 * Asks before deleting `item` (open while it is set) and deletes it: a green toast names what went, a red one says why
 * it could not (`failText` has the page's own words for some errors; otherwise the general ones).
 */
export function ConfirmDeleteModal<T>({
  item,
  title,
  message,
  done,
  pending,
  remove,
  onClose,
  failText,
  closeOnError = false,
}: {
  item: T | null;
  title: string;
  message: string;
  done: (item: T) => string;
  pending: boolean;
  remove: (item: T) => Promise<unknown>;
  onClose: () => void;
  failText?: (error: unknown) => string | null;
  closeOnError?: boolean;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  const errorText = useErrorText();
  const confirm = async (target: T) => {
    try {
      await remove(target);
      toast({ color: 'green', message: done(target) });
      onClose();
    } catch (error) {
      toast({ color: 'red', message: failText?.(error) ?? errorText(error) });
      if (closeOnError) onClose();
    }
  };
  return <ConfirmModal opened={item !== null} title={title} message={message} confirmLabel={t('common.delete')} loading={pending} onClose={onClose} onConfirm={() => item !== null && void confirm(item)} />;
}
