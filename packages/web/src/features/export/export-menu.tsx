import type { ClientObject, ExportFormat } from '@rapport/shared';
import { Button, Menu } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiFile } from '../../api/api-client';
import { useErrorText } from '../../components/error-text';
import { Icon } from '../../components/icons';
import { useToast } from '../../components/toast-center';

/** What a list shows right now: its rows (filter, quick text, order) and its columns with the headers the user reads. */
export interface ExportView {
  filter: string | null;
  q: string;
  sort: string | null;
  columns: { key: string; header: string }[];
}

/** Saves the answer as a file through a temporary link (the browser's own download). */
function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * "Export" on a list: the current view to CSV or XLSX. The server checks the export right, the row limit and the
 * fields the role hides; a refusal is told here. CSV uses a semicolon for Russian, where spreadsheets expect one.
 */
export function ExportMenu({ object, view }: { object: ClientObject; view: ExportView }) {
  const { t, i18n } = useTranslation();
  const toast = useToast();
  const errorText = useErrorText();
  const [running, setRunning] = useState<ExportFormat | null>(null);

  const run = async (format: ExportFormat) => {
    setRunning(format);
    try {
      const { blob, fileName } = await apiFile('/exports', {
        object,
        format,
        ...(view.filter ? { filter: view.filter } : {}),
        ...(view.q ? { q: view.q } : {}),
        ...(view.sort ? { sort: view.sort } : {}),
        columns: view.columns.map((column) => column.key),
        headers: view.columns.map((column) => column.header),
        ...(format === 'csv' ? { delimiter: i18n.language.startsWith('ru') ? ';' : ',' } : {}),
      });
      saveFile(blob, fileName);
      toast({ color: 'green', message: t('export.done', { name: fileName }) });
    } catch (error) {
      toast({ color: 'red', message: errorText(error) });
    } finally {
      setRunning(null);
    }
  };

  return (
    <Menu position="bottom-end" shadow="md">
      <Menu.Target>
        <Button variant="default" leftSection={<Icon name="download" size={16} />} loading={running !== null}>
          {t('export.button')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('export.title')}</Menu.Label>
        <Menu.Item onClick={() => void run('xlsx')}>{t('export.xlsx')}</Menu.Item>
        <Menu.Item onClick={() => void run('csv')}>{t('export.csv')}</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
