import type { ClientObject } from '@rapport/shared';
import { Tabs } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** A tab per client object (companies, contacts, leads), each panel rendered only while open. */
export function ObjectTabs({ objects, children }: { objects: ClientObject[]; children: (object: ClientObject) => ReactNode }) {
  const { t } = useTranslation();
  const [object, setObject] = useState<ClientObject>(objects[0] ?? 'company');
  return (
    <Tabs value={object} onChange={(value) => value && setObject(value as ClientObject)} keepMounted={false}>
      <Tabs.List mb="md">
        {objects.map((item) => (
          <Tabs.Tab key={item} value={item}>
            {t(`records.${item}.title`)}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      {objects.map((item) => (
        <Tabs.Panel key={item} value={item}>
          {children(item)}
        </Tabs.Panel>
      ))}
    </Tabs>
  );
}
