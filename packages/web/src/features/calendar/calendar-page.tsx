import { CALENDAR_ITEM_KINDS, isUuid, type CalendarItem, type CalendarItemKind } from '@rapport/shared';
import type { DateSelectArg, DatesSetArg, EventClickArg, EventDropArg, EventMountArg } from '@fullcalendar/core';
import ruLocale from '@fullcalendar/core/locales/ru';
import dayGridPlugin from '@fullcalendar/daygrid';
import interactionPlugin, { type EventResizeDoneArg } from '@fullcalendar/interaction';
import FullCalendar from '@fullcalendar/react';
import timeGridPlugin from '@fullcalendar/timegrid';
import { Alert, Box, Button, Card, Chip, Group, MultiSelect, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { isApiError } from '../../api/api-client';
import { useCan, useMe } from '../../app/session';
import { useErrorText } from '../../components/error-text';
import { PageHeader } from '../../components/page-header';
import { useToast } from '../../components/toast-center';
import { recordUrl } from '../records/objects';
import { useUserDirectory, useUsersByIds } from '../users/use-users';
import { KIND_COLORS, toEvent } from './calendar-events';
import { CreateFromSlotModal, type Slot } from './create-from-slot-modal';
import { useCalendarItems, useReschedule } from './use-calendar';
import './calendar.css';

// Options FullCalendar compares by identity: new objects on every render would make it reset its view.
const PLUGINS = [dayGridPlugin, timeGridPlugin, interactionPlugin];
const LOCALES = [ruLocale];
const TOOLBAR = { left: 'prev,next today', center: 'title', right: 'dayGridMonth,timeGridWeek,timeGridDay' };

/** Day, week and month views of tasks, calls and meetings; click a slot to add one, drag to move it. */
export function CalendarPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const can = useCan();
  const navigate = useNavigate();
  const toast = useToast();
  const errorText = useErrorText();
  const [range, setRange] = useState<{ from: string; to: string } | null>(null);
  const [kinds, setKinds] = useState<CalendarItemKind[]>([...CALENDAR_ITEM_KINDS]);
  const [params] = useSearchParams();
  // The team scheduler links to one person's calendar with ?users=<id>.
  const [users, setUsers] = useState<string[]>(() => params.get('users')?.split(',').filter(Boolean) ?? []);
  const [slot, setSlot] = useState<Slot | null>(null);
  const directory = useUserDirectory(can('user', 'read'));
  // People chosen by link (the team scheduler, a shared address) may lie beyond the directory's first page.
  const listed = useMemo(() => new Set((directory.data ?? []).map((user) => user.id)), [directory.data]);
  const picked = useUsersByIds(directory.data ? users.filter((id) => !listed.has(id) && isUuid(id)) : []);
  const people = useMemo(() => [...(directory.data ?? []), ...(picked.data ?? []).filter((user) => !listed.has(user.id))], [directory.data, picked.data, listed]);
  const items = useCalendarItems(range, users, kinds);
  const reschedule = useReschedule();

  const events = useMemo(() => (items.data?.items ?? []).map((item) => toEvent(item, t(`calendar.kinds.${item.kind}`))), [items.data, t]);
  const canCreate = can('task', 'create') || can('activity', 'create');
  const buttonText = useMemo(() => ({ today: t('calendar.views.today'), month: t('calendar.views.month'), week: t('calendar.views.week'), day: t('calendar.views.day') }), [t]);

  const move = (arg: EventDropArg | EventResizeDoneArg) => {
    const item = arg.event.extendedProps.item as CalendarItem;
    if (!arg.event.start) return arg.revert();
    reschedule.mutate(
      { item, start: arg.event.start, end: arg.event.end, allDay: arg.event.allDay },
      {
        onSuccess: () => toast({ color: 'green', message: t('calendar.moved', { title: arg.event.title }) }),
        onError: (error) => {
          arg.revert();
          // Someone else changed it since the calendar loaded: say so plainly; the calendar reloads with their version.
          if (isApiError(error) && (error.code === 'version_conflict' || error.status === 409)) toast({ color: 'yellow', title: t('calendar.conflict.title'), message: t('calendar.conflict.message') });
          else toast({ color: 'red', message: error instanceof Error && isApiError(error) && error.fieldErrors.length > 0 ? `${errorText(error)} ${error.fieldErrors.map((e) => e.message).join('; ')}` : errorText(error) });
        },
      },
    );
  };

  const open = (arg: EventClickArg) => {
    const item = arg.event.extendedProps.item as CalendarItem;
    arg.jsEvent.preventDefault();
    // A future occurrence is not a task yet: there is nothing to open until it comes due.
    if (item.projected) toast({ color: 'blue', message: t('calendar.projected.hint', { title: item.title }) });
    else if (item.kind === 'task') void navigate(`/tasks/${item.id}`);
    else if (item.subject && item.subject.title !== null) void navigate(recordUrl(item.subject.object, item.subject.id));
  };

  return (
    <>
      <PageHeader
        title={t('calendar.title')}
        description={t('calendar.description')}
        actions={
          <Button component={Link} to="/calendar/team" variant="light">
            {t('calendar.team.open')}
          </Button>
        }
      />
      <Group justify="space-between" mb="sm" gap="sm" align="flex-end">
        <Chip.Group multiple value={kinds} onChange={(value) => setKinds(value as CalendarItemKind[])}>
          <Group gap="xs" role="group" aria-label={t('calendar.filters.types')}>
            {CALENDAR_ITEM_KINDS.map((kind) => (
              <Chip key={kind} value={kind} color={KIND_COLORS[kind].mantine} variant="light">
                {t(`calendar.kinds.${kind}`)}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
        {can('user', 'read') ? (
          <MultiSelect
            w={{ base: '100%', sm: 360 }}
            label={t('calendar.filters.users')}
            placeholder={users.length === 0 ? t('calendar.filters.me') : undefined}
            data={people.filter((user) => user.status === 'active').map((user) => ({ value: user.id, label: user.id === me.user.id ? `${user.name} (${t('calendar.filters.you')})` : user.name }))}
            value={users}
            onChange={setUsers}
            searchable
            clearable
            // A team of twenty stays a few lines high; its names scroll.
            styles={{ pillsList: { maxHeight: 92, overflowY: 'auto' } }}
          />
        ) : null}
      </Group>
      {items.error ? (
        <Alert color="red" mb="sm" role="alert">
          {errorText(items.error)}
        </Alert>
      ) : null}
      {items.data?.truncated ? (
        <Text size="sm" c="orange" mb="xs">
          {t('calendar.truncated')}
        </Text>
      ) : null}
      <Card withBorder radius="md" padding="sm" className="rapport-calendar" aria-busy={items.isFetching}>
        <Box>
          <FullCalendar
            plugins={PLUGINS}
            locales={LOCALES}
            locale={i18n.language === 'ru' ? 'ru' : 'en'}
            // A week does not fit a phone: it starts on the day there.
            initialView={window.matchMedia('(max-width: 48em)').matches ? 'timeGridDay' : 'timeGridWeek'}
            headerToolbar={TOOLBAR}
            buttonText={buttonText}
            allDayText={t('calendar.allDay')}
            moreLinkText={(n) => t('calendar.more', { n })}
            noEventsText={t('calendar.empty')}
            height={720}
            scrollTime="08:00:00"
            nowIndicator
            dayMaxEvents
            // A busy team's week stacks at most three items side by side in a slot; "+N more" opens the rest.
            eventMaxStack={3}
            selectable={canCreate}
            selectMirror
            events={events}
            datesSet={(arg: DatesSetArg) => {
              const next = { from: arg.start.toISOString(), to: arg.end.toISOString() };
              // FullCalendar reports its dates on every render with new options; only a real change loads items.
              setRange((current) => (current?.from === next.from && current.to === next.to ? current : next));
            }}
            select={(arg: DateSelectArg) => {
              // A click selects one half-hour slot; a meeting or task made from it lasts an hour.
              const clicked = !arg.allDay && arg.end.getTime() - arg.start.getTime() <= 30 * 60_000;
              setSlot({ start: arg.start, end: clicked ? new Date(arg.start.getTime() + 60 * 60_000) : arg.end, allDay: arg.allDay });
              arg.view.calendar.unselect();
            }}
            // Calls and meetings have a time of day: they cannot be dropped on the all-day row.
            eventAllow={(drop, dragged) => !drop.allDay || (dragged?.extendedProps.item as CalendarItem | undefined)?.kind === 'task'}
            eventDrop={move}
            eventResize={move}
            eventClick={open}
            eventDidMount={(arg: EventMountArg) => {
              // The selection mirror is an event too, with no item behind it.
              if ((arg.event.extendedProps.item as CalendarItem | undefined)?.projected) arg.el.title = t('calendar.projected.tooltip');
            }}
          />
        </Box>
      </Card>
      <CreateFromSlotModal slot={slot} onClose={() => setSlot(null)} />
    </>
  );
}
