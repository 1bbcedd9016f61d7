import { Alert, Badge, Button, Group, Loader, Modal, Paper, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { DateTime } from 'luxon';
import { type FormEvent, useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSite } from '../../app/useSite';
import { useLiveSite } from '../../live/useLiveSite';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { useAuth } from '../auth/useAuth';
import { localInputToIso } from '../tasks/localTime';
import { AGENDA_KEY, type AgendaItem, type AgendaSubject, type Meeting, useAgenda, useCreateMeeting, useMeeting, useRotateFeedToken, useUpdateMeeting } from './useAgenda';

const USER_LIVE = { kind: 'user' } as const;
const KIND_COLOR: Record<AgendaItem['kind'], string> = { appointment: 'blue.9', meeting: 'grape.9', task: 'teal.9', callback: 'orange.9' };

/** The week of the agent or of their service: appointments, meetings, tasks and callbacks; and the calendar feed link. */
export function AgendaPage() {
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const { siteId, sites } = useSite();
  const zone = sites.find((s) => s.id === siteId)?.timeZone ?? 'Europe/Paris';
  const [who, setWho] = useState<'me' | 'service'>('me');
  const [monday, setMonday] = useState(() => DateTime.now().setZone(zone).startOf('week'));
  const [editing, setEditing] = useState<AgendaItem | null>(null);
  const days = useMemo(() => Array.from({ length: 7 }, (_, i) => monday.plus({ days: i })), [monday]);
  const subject: AgendaSubject = who === 'service' && user?.serviceId ? { serviceId: user.serviceId } : {};
  const agenda = useAgenda(subject, days[0].toISO() as string, days[6].plus({ days: 1 }).toISO() as string);
  const queryClient = useQueryClient();
  const onLive = useCallback(
    (name: string) => {
      if (name.startsWith('appointment.') || name.startsWith('meeting.') || name.startsWith('task.') || name.startsWith('callback.')) {
        void queryClient.invalidateQueries({ queryKey: [AGENDA_KEY] });
      }
    },
    [queryClient],
  );
  useLiveSite(siteId, USER_LIVE, onLive);

  if (!siteId) return <Alert color="yellow">{t('desk.noSite')}</Alert>;
  const locale = i18n.language;

  return (
    <Stack gap="sm">
      <Title order={1} size="h2">
        {t('handoverTasks.agenda.title')}
      </Title>
      <Group gap="xs" component="nav" aria-label={t('handoverTasks.agenda.weekNav')}>
        {user?.serviceId && (
          <SegmentedControl
            aria-label={t('handoverTasks.agenda.whose')}
            value={who}
            onChange={(v) => setWho(v as 'me' | 'service')}
            data={[
              { value: 'me', label: t('handoverTasks.agenda.mine') },
              { value: 'service', label: t('handoverTasks.agenda.service') },
            ]}
          />
        )}
        <Button variant="default" onClick={() => setMonday(monday.minus({ weeks: 1 }))}>
          {t('handoverTasks.agenda.previousWeek')}
        </Button>
        <Button variant="default" onClick={() => setMonday(DateTime.now().setZone(zone).startOf('week'))}>
          {t('handoverTasks.agenda.thisWeek')}
        </Button>
        <Button variant="default" onClick={() => setMonday(monday.plus({ weeks: 1 }))}>
          {t('handoverTasks.agenda.nextWeek')}
        </Button>
      </Group>
      {agenda.error && <ProblemAlert error={agenda.error} />}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 7 }} spacing="xs">
        {days.map((day) => {
          const items = (agenda.data ?? []).filter((item) => DateTime.fromISO(item.startsAt).setZone(zone).hasSame(day, 'day'));
          return (
            <Paper key={day.toISODate()} withBorder p="xs" component="section" aria-label={day.setLocale(locale).toLocaleString(DateTime.DATE_HUGE)}>
              <Title order={2} size="h5" mb={4}>
                {day.setLocale(locale).toFormat('cccc d LLL')}
              </Title>
              {items.length === 0 && <Text size="xs">{t('handoverTasks.agenda.free')}</Text>}
              <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                {items.map((item) => (
                  <li key={`${item.kind}:${item.id}`}>
                    <Text size="xs" fw={600}>
                      {DateTime.fromISO(item.startsAt).setZone(zone).toFormat('HH:mm')}–{DateTime.fromISO(item.endsAt).setZone(zone).toFormat('HH:mm')}{' '}
                      <Badge size="xs" color={KIND_COLOR[item.kind]}>
                        {t(`handoverTasks.agenda.kind.${item.kind}`)}
                      </Badge>
                    </Text>
                    <Text size="xs">
                      {item.title}
                      {item.place ? ` · ${item.place}` : ''}
                    </Text>
                    {item.kind === 'meeting' && item.ownerUserId === user?.id && (
                      <Button size="compact-xs" variant="subtle" onClick={() => setEditing(item)} aria-label={t('handoverTasks.agenda.editMeetingOf', { title: item.title })}>
                        {t('handoverTasks.agenda.editMeeting')}
                      </Button>
                    )}
                  </li>
                ))}
              </Stack>
            </Paper>
          );
        })}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        <MeetingForm siteId={siteId} zone={zone} serviceId={who === 'service' ? user?.serviceId ?? null : null} />
        <FeedLink />
      </SimpleGrid>
      <Modal opened={!!editing} onClose={() => setEditing(null)} closeButtonProps={{ 'aria-label': t('common.close') }} title={t('handoverTasks.agenda.editMeetingTitle')}>
        {editing && <MeetingEditor id={editing.id} zone={zone} onDone={() => setEditing(null)} />}
      </Modal>
    </Stack>
  );
}

const toLocalInput = (iso: string, zone: string) => DateTime.fromISO(iso).setZone(zone).toFormat("yyyy-LL-dd'T'HH:mm");

/** Loads the meeting for its version, then sends only the fields shown, with If-Match. */
function MeetingEditor({ id, zone, onDone }: { id: string; zone: string; onDone: () => void }) {
  const meeting = useMeeting(id);
  if (meeting.error) return <ProblemAlert error={meeting.error} />;
  if (!meeting.data) return <Loader size="sm" />;
  return <MeetingEditForm meeting={meeting.data} zone={zone} onDone={onDone} />;
}

function MeetingEditForm({ meeting, zone, onDone }: { meeting: Meeting; zone: string; onDone: () => void }) {
  const { t } = useTranslation();
  const update = useUpdateMeeting();
  const [title, setTitle] = useState(meeting.title);
  const [start, setStart] = useState(toLocalInput(meeting.startsAt, zone));
  const [end, setEnd] = useState(toLocalInput(meeting.endsAt, zone));
  const [place, setPlace] = useState(meeting.place ?? '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const startsAt = localInputToIso(start, zone);
    const endsAt = localInputToIso(end, zone);
    if (!startsAt || !endsAt) return;
    update.mutate({ id: meeting.id, version: meeting.version, changes: { title, startsAt, endsAt, place: place || null } }, { onSuccess: onDone });
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="xs">
        <TextInput label={t('handoverTasks.fields.title')} required value={title} onChange={(e) => setTitle(e.currentTarget.value)} maxLength={200} />
        <Group grow>
          <TextInput type="datetime-local" label={t('handoverTasks.fields.startsAt')} required value={start} onChange={(e) => setStart(e.currentTarget.value)} />
          <TextInput type="datetime-local" label={t('handoverTasks.fields.endsAt')} required value={end} onChange={(e) => setEnd(e.currentTarget.value)} />
        </Group>
        <TextInput label={t('handoverTasks.fields.place')} value={place} onChange={(e) => setPlace(e.currentTarget.value)} maxLength={200} />
        {update.error && <ProblemAlert error={update.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('handoverTasks.cancel')}
          </Button>
          <Button type="submit" loading={update.isPending} disabled={!title.trim() || !start || !end}>
            {t('handoverTasks.agenda.saveMeeting')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function MeetingForm({ siteId, zone, serviceId }: { siteId: string; zone: string; serviceId: string | null }) {
  const { t } = useTranslation();
  const create = useCreateMeeting();
  const [title, setTitle] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [place, setPlace] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const startsAt = localInputToIso(start, zone);
    const endsAt = localInputToIso(end, zone);
    if (!startsAt || !endsAt) return;
    create.mutate({ siteId, title, startsAt, endsAt, place: place || null, serviceId }, { onSuccess: () => (setTitle(''), setStart(''), setEnd(''), setPlace('')) });
  };
  return (
    <Paper withBorder p="sm" component="form" onSubmit={submit} aria-labelledby="meeting-title">
      <Title order={2} size="h4" id="meeting-title" mb="xs">
        {t('handoverTasks.agenda.newMeeting')}
      </Title>
      <Stack gap="xs">
        <TextInput label={t('handoverTasks.fields.title')} required value={title} onChange={(e) => setTitle(e.currentTarget.value)} maxLength={200} />
        <Group grow>
          <TextInput type="datetime-local" label={t('handoverTasks.fields.startsAt')} required value={start} onChange={(e) => setStart(e.currentTarget.value)} />
          <TextInput type="datetime-local" label={t('handoverTasks.fields.endsAt')} required value={end} onChange={(e) => setEnd(e.currentTarget.value)} />
        </Group>
        <TextInput label={t('handoverTasks.fields.place')} value={place} onChange={(e) => setPlace(e.currentTarget.value)} maxLength={200} />
        {create.error && <ProblemAlert error={create.error} />}
        <Button type="submit" loading={create.isPending} disabled={!title.trim() || !start || !end}>
          {t('handoverTasks.agenda.addMeeting')}
        </Button>
      </Stack>
    </Paper>
  );
}

function FeedLink() {
  const { t } = useTranslation();
  const rotate = useRotateFeedToken();
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="feed-title">
      <Title order={2} size="h4" id="feed-title" mb="xs">
        {t('handoverTasks.agenda.feed')}
      </Title>
      <Text size="sm" mb="xs">
        {t('handoverTasks.agenda.feedHelp')}
      </Text>
      {rotate.data && <TextInput label={t('handoverTasks.agenda.feedUrl')} readOnly value={rotate.data.url} onFocus={(e) => e.currentTarget.select()} mb="xs" />}
      {rotate.error && <ProblemAlert error={rotate.error} />}
      <Button variant="default" onClick={() => rotate.mutate()} loading={rotate.isPending}>
        {rotate.data ? t('handoverTasks.agenda.feedRotate') : t('handoverTasks.agenda.feedCreate')}
      </Button>
    </Paper>
  );
}
