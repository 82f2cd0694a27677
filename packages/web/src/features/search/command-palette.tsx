import type { ClientObject, SearchHit } from '@rapport/shared';
import { ActionIcon, Badge, Box, Button, Group, Kbd, Loader, Modal, ScrollArea, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useCan } from '../../app/session';
import { Icon } from '../../components/icons';
import { CLIENT_OBJECT_LIST, listUrl, recordUrl } from '../records/objects';
import { useGlobalSearch } from './use-search';

interface Item {
  id: string;
  group: string;
  title: string;
  subtitle: string | null;
  hint: string | null;
  to: string;
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** The header's search button and the Ctrl/Cmd+K palette: records by name, phone, e-mail or tax number, and the lists. */
export function CommandPalette() {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);

  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setOpened((open) => !open);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <>
      <ActionIcon hiddenFrom="sm" variant="subtle" color="gray" size="lg" onClick={() => setOpened(true)} aria-label={t('search.open')} aria-keyshortcuts={isMac ? 'Meta+K' : 'Control+K'}>
        <Icon name="search" size={20} />
      </ActionIcon>
      <Button
        visibleFrom="sm"
        variant="default"
        size="sm"
        onClick={() => setOpened(true)}
        leftSection={<Icon name="search" size={16} />}
        rightSection={
          <span>
            <Kbd size="xs">{isMac ? '⌘' : 'Ctrl'}</Kbd> <Kbd size="xs">K</Kbd>
          </span>
        }
        aria-label={t('search.open')}
        aria-keyshortcuts={isMac ? 'Meta+K' : 'Control+K'}
      >
        <Text span c="dimmed" fw={400} size="sm">
          {t('search.button')}
        </Text>
      </Button>
      <Modal.Root opened={opened} onClose={() => setOpened(false)} size="lg" yOffset="10vh" padding={0}>
        <Modal.Overlay />
        <Modal.Content aria-label={t('search.title')}>
          <Modal.Body>{opened ? <Palette onClose={() => setOpened(false)} /> : null}</Modal.Body>
        </Modal.Content>
      </Modal.Root>
    </>
  );
}

function Palette({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 200);
  const [active, setActive] = useState(0);
  const search = useGlobalSearch(debounced);
  const term = q.trim().toLowerCase();

  const items = useMemo<Item[]>(() => {
    const result: Item[] = [];
    if (debounced.trim()) {
      for (const group of search.data?.groups ?? []) {
        for (const hit of group.items) result.push(hitItem(group.object, hit, t));
      }
    }
    for (const object of CLIENT_OBJECT_LIST) {
      if (!can(object, 'read')) continue;
      const title = t(`records.${object}.title`);
      if (!term || title.toLowerCase().includes(term)) result.push({ id: `go-${object}`, group: t('search.goTo'), title, subtitle: null, hint: null, to: listUrl(object) });
    }
    return result;
  }, [can, debounced, search.data, t, term]);

  useEffect(() => setActive(0), [search.data, debounced]);

  const open = (item: Item | undefined) => {
    if (!item) return;
    onClose();
    void navigate(item.to);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive((index) => Math.min(items.length - 1, index + 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((index) => Math.max(0, index - 1));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      open(items[active]);
    }
  };

  useEffect(() => {
    document.getElementById(`palette-item-${active}`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const waiting = q.trim() !== '' && (q !== debounced || search.isFetching);
  const nothing = debounced.trim() !== '' && !search.isFetching && (search.data?.groups.length ?? 0) === 0;
  let lastGroup = '';

  return (
    <Stack gap={0}>
      <TextInput
        data-autofocus
        size="lg"
        variant="unstyled"
        px="md"
        py={4}
        placeholder={t('search.placeholder')}
        value={q}
        onChange={(event) => setQ(event.currentTarget.value)}
        onKeyDown={onKeyDown}
        leftSection={<Icon name="search" size={20} />}
        rightSection={waiting ? <Loader size="xs" /> : <Kbd size="xs">Esc</Kbd>}
        rightSectionWidth={48}
        role="combobox"
        aria-label={t('search.title')}
        aria-expanded
        aria-controls="palette-results"
        aria-activedescendant={items[active] ? `palette-item-${active}` : undefined}
        aria-autocomplete="list"
        style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
      />
      <ScrollArea.Autosize mah="60vh" type="auto">
        <Box id="palette-results" role="listbox" aria-label={t('search.results')} p="xs">
          {nothing ? (
            <Text size="sm" c="dimmed" p="sm">
              {t('search.nothing', { q: debounced.trim() })}
            </Text>
          ) : null}
          {items.map((item, index) => {
            const heading = item.group !== lastGroup ? item.group : null;
            lastGroup = item.group;
            return (
              <div key={item.id}>
                {heading ? (
                  <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="sm" pb={4} role="presentation">
                    {heading}
                  </Text>
                ) : null}
                <UnstyledButton
                  id={`palette-item-${index}`}
                  role="option"
                  aria-selected={index === active}
                  tabIndex={-1}
                  onMouseMove={() => setActive(index)}
                  onClick={() => open(item)}
                  w="100%"
                  px="sm"
                  py={8}
                  style={{ borderRadius: 'var(--mantine-radius-sm)', background: index === active ? 'var(--mantine-primary-color-light)' : undefined }}
                >
                  <Group justify="space-between" wrap="nowrap" gap="sm">
                    <div style={{ minWidth: 0 }}>
                      <Text size="sm" fw={500} truncate="end">
                        {item.title}
                      </Text>
                      {item.subtitle ? (
                        <Text size="xs" c="dimmed" truncate="end">
                          {item.subtitle}
                        </Text>
                      ) : null}
                    </div>
                    {item.hint ? (
                      <Badge size="xs" variant="light" color="gray" style={{ flex: 'none' }}>
                        {item.hint}
                      </Badge>
                    ) : null}
                  </Group>
                </UnstyledButton>
              </div>
            );
          })}
        </Box>
      </ScrollArea.Autosize>
      <Group gap="md" px="md" py={8} style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
        <Text size="xs" c="dimmed">
          <Kbd size="xs">↑</Kbd> <Kbd size="xs">↓</Kbd> {t('search.keysMove')}
        </Text>
        <Text size="xs" c="dimmed">
          <Kbd size="xs">Enter</Kbd> {t('search.keysOpen')}
        </Text>
      </Group>
    </Stack>
  );
}

function hitItem(object: ClientObject, hit: SearchHit, t: (key: string, options?: Record<string, unknown>) => string): Item {
  return {
    id: `${object}-${hit.id}`,
    group: t(`records.${object}.title`),
    title: hit.title,
    subtitle: hit.subtitle,
    hint: t(`search.matched.${hit.matched}`),
    to: recordUrl(object, hit.id),
  };
}
