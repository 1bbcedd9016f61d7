import { Alert, Badge, Button, Grid, Group, List, Modal, NativeSelect, Paper, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSite } from '../../app/useSite';
import { useLiveSite } from '../../live/useLiveSite';
import { PageLoader } from '../../shared/PageLoader';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { localInputToIso, shortDateTime } from '../tasks/localTime';
import {
  HANDOVER_KEY,
  type HandoverNote,
  LOGBOOK_CATEGORIES,
  LOGBOOK_PRIORITIES,
  type LogbookEntry,
  type Snapshot,
  useAcknowledge,
  useCloseEntry,
  useCreateEntry,
  useCreateNote,
  useHandoverSummary,
} from './useHandover';

const USER_LIVE = { kind: 'user' } as const;
const PRIORITY_COLOR = { high: 'red.9', normal: 'blue.9', low: 'gray.7' } as const;

/** Shift handover (passation de consignes): notes to acknowledge, the open logbook items, and writing one's own handover. */
export function HandoverPage() {
  const { t, i18n } = useTranslation();
  const { siteId, sites } = useSite();
  const zone = sites.find((s) => s.id === siteId)?.timeZone ?? 'Europe/Paris';
  const queryClient = useQueryClient();
  const summary = useHandoverSummary(siteId);
  const acknowledge = useAcknowledge();
  const [closing, setClosing] = useState<LogbookEntry | null>(null);

  const onLive = useCallback(
    (name: string) => {
      if (name.startsWith('logbook.') || name.startsWith('handover.')) void queryClient.invalidateQueries({ queryKey: [HANDOVER_KEY] });
    },
    [queryClient],
  );
  const live = useLiveSite(siteId, USER_LIVE, onLive);

  if (!siteId) return <Alert color="yellow">{t('desk.noSite')}</Alert>;
  if (summary.isPending) return <PageLoader />;
  const when = (iso: string | null) => shortDateTime(iso, zone, i18n.language);

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('handoverTasks.handover.title')}
        </Title>
        <Badge color={live.connected ? 'teal.9' : 'red.9'}>{live.connected ? t('live.online') : t('live.offline')}</Badge>
      </Group>
      {summary.error && <ProblemAlert error={summary.error} />}
      {acknowledge.error && <ProblemAlert error={acknowledge.error} />}

      <Paper withBorder p="sm" component="section" aria-labelledby="pending-notes-title">
        <Title order={2} size="h4" id="pending-notes-title" mb="xs">
          {t('handoverTasks.handover.pending', { count: summary.data?.pendingNotes.length ?? 0 })}
        </Title>
        {summary.data?.pendingNotes.length === 0 && <Text size="sm">{t('handoverTasks.handover.nothingPending')}</Text>}
        <Stack gap="sm">
          {summary.data?.pendingNotes.map((note) => (
            <NoteCard key={note.id} note={note} when={when} onAcknowledge={() => acknowledge.mutate(note.id)} busy={acknowledge.isPending} />
          ))}
        </Stack>
      </Paper>

      <Paper withBorder p="sm" component="section" aria-labelledby="open-entries-title">
        <Title order={2} size="h4" id="open-entries-title" mb="xs">
          {t('handoverTasks.handover.openEntries')}
        </Title>
        {summary.data?.openEntries.length === 0 ? (
          <Text size="sm">{t('handoverTasks.handover.noOpenEntries')}</Text>
        ) : (
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('handoverTasks.fields.priority')}</Table.Th>
                <Table.Th>{t('handoverTasks.fields.category')}</Table.Th>
                <Table.Th>{t('handoverTasks.fields.title')}</Table.Th>
                <Table.Th>{t('handoverTasks.handover.written')}</Table.Th>
                <Table.Th>{t('handoverTasks.fields.dueAt')}</Table.Th>
                <Table.Th>{t('handoverTasks.handover.action')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {summary.data?.openEntries.map((entry) => (
                <Table.Tr key={entry.id}>
                  <Table.Td>
                    <Badge color={PRIORITY_COLOR[entry.priority]}>{t(`handoverTasks.priority.${entry.priority}`)}</Badge>
                  </Table.Td>
                  <Table.Td>{t(`handoverTasks.category.${entry.category}`)}</Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {entry.title}
                    </Text>
                    {entry.body && <Text size="xs">{entry.body}</Text>}
                  </Table.Td>
                  <Table.Td>
                    {entry.createdByName ?? '—'} · {when(entry.createdAt)}
                  </Table.Td>
                  <Table.Td>{when(entry.dueAt)}</Table.Td>
                  <Table.Td>
                    <Button size="xs" variant="default" onClick={() => setClosing(entry)} aria-label={t('handoverTasks.handover.closeLabel', { title: entry.title })}>
                      {t('handoverTasks.handover.close')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>

      <Grid gap="sm">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <NewEntryForm siteId={siteId} zone={zone} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <NoteForm siteId={siteId} mine={summary.data?.mine} />
        </Grid.Col>
      </Grid>
      {closing && <CloseEntryModal entry={closing} onClose={() => setClosing(null)} />}
    </Stack>
  );
}

function NoteCard({ note, when, onAcknowledge, busy }: { note: HandoverNote; when: (iso: string) => string; onAcknowledge: () => void; busy: boolean }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm" component="article" aria-label={t('handoverTasks.handover.noteBy', { name: note.authorName ?? '—', when: when(note.createdAt) })}>
      <Text size="sm" fw={600}>
        {t('handoverTasks.handover.noteBy', { name: note.authorName ?? '—', when: when(note.createdAt) })}
      </Text>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {note.body}
      </Text>
      <SnapshotList snapshot={note.snapshot} />
      {note.acknowledgements.length > 0 && (
        <Text size="xs">{t('handoverTasks.handover.readBy', { names: note.acknowledgements.map((a) => a.name).join(', ') })}</Text>
      )}
      <Button mt="xs" size="xs" onClick={onAcknowledge} loading={busy}>
        {t('handoverTasks.handover.acknowledge')}
      </Button>
    </Paper>
  );
}

function SnapshotList({ snapshot }: { snapshot: Snapshot }) {
  const { t } = useTranslation();
  const lines = [
    ...snapshot.tickets.map((x) => `${t('handoverTasks.nextUp.kind.ticket')} ${x.number} (${t(`ticketStatus.${x.status}`, { defaultValue: x.status })})`),
    ...snapshot.requests.map((x) => `${t('handoverTasks.handover.request')} · ${x.subject ?? t('handoverTasks.nextUp.confidential')}`),
    ...snapshot.tasks.map((x) => `${t('handoverTasks.nextUp.kind.task')} · ${x.title}`),
    ...snapshot.callbacks.map((x) => `${t('handoverTasks.nextUp.kind.callback')} · ${x.contactName} — ${x.subject}`),
  ];
  if (lines.length === 0) return <Text size="xs">{t('handoverTasks.handover.nothingLeftOpen')}</Text>;
  return (
    <>
      <Text size="xs" fw={600} mt={4}>
        {t('handoverTasks.handover.leftOpen')}
      </Text>
      <List size="xs">
        {lines.map((line, i) => (
          <List.Item key={i}>{line}</List.Item>
        ))}
      </List>
    </>
  );
}

function NewEntryForm({ siteId, zone }: { siteId: string; zone: string }) {
  const { t } = useTranslation();
  const create = useCreateEntry();
  const [category, setCategory] = useState<string>('instruction');
  const [priority, setPriority] = useState<string>('normal');
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [due, setDue] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { siteId, category, priority, title, body, dueAt: localInputToIso(due, zone) },
      {
        onSuccess: () => {
          setTitle('');
          setBody('');
          setDue('');
        },
      },
    );
  };
  return (
    <Paper withBorder p="sm" component="form" onSubmit={submit} aria-labelledby="new-entry-title" h="100%">
      <Title order={2} size="h4" id="new-entry-title" mb="xs">
        {t('handoverTasks.handover.newEntry')}
      </Title>
      <Stack gap="xs">
        <Group grow>
          <NativeSelect label={t('handoverTasks.fields.category')} value={category} onChange={(e) => setCategory(e.currentTarget.value)} data={LOGBOOK_CATEGORIES.map((c) => ({ value: c, label: t(`handoverTasks.category.${c}`) }))} />
          <NativeSelect label={t('handoverTasks.fields.priority')} value={priority} onChange={(e) => setPriority(e.currentTarget.value)} data={LOGBOOK_PRIORITIES.map((p) => ({ value: p, label: t(`handoverTasks.priority.${p}`) }))} />
        </Group>
        <TextInput label={t('handoverTasks.fields.title')} required value={title} onChange={(e) => setTitle(e.currentTarget.value)} maxLength={200} />
        <Textarea label={t('handoverTasks.fields.body')} autosize minRows={2} value={body} onChange={(e) => setBody(e.currentTarget.value)} />
        <TextInput type="datetime-local" label={t('handoverTasks.fields.dueAt')} value={due} onChange={(e) => setDue(e.currentTarget.value)} />
        {create.error && <ProblemAlert error={create.error} />}
        <Button type="submit" loading={create.isPending} disabled={!title.trim()}>
          {t('handoverTasks.handover.addEntry')}
        </Button>
      </Stack>
    </Paper>
  );
}

function NoteForm({ siteId, mine }: { siteId: string; mine: Snapshot | undefined }) {
  const { t } = useTranslation();
  const create = useCreateNote();
  const [body, setBody] = useState('');
  const [sent, setSent] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSent(false);
    create.mutate({ siteId, body }, { onSuccess: () => (setBody(''), setSent(true)) });
  };
  return (
    <Paper withBorder p="sm" component="form" onSubmit={submit} aria-labelledby="note-title" h="100%">
      <Title order={2} size="h4" id="note-title" mb="xs">
        {t('handoverTasks.handover.writeNote')}
      </Title>
      <Stack gap="xs">
        {mine && <SnapshotList snapshot={mine} />}
        <Textarea label={t('handoverTasks.fields.note')} required autosize minRows={3} value={body} onChange={(e) => setBody(e.currentTarget.value)} />
        {create.error && <ProblemAlert error={create.error} />}
        {sent && (
          <Text size="sm" role="status">
            {t('handoverTasks.handover.noteSent')}
          </Text>
        )}
        <Button type="submit" loading={create.isPending} disabled={!body.trim()}>
          {t('handoverTasks.handover.sendNote')}
        </Button>
      </Stack>
    </Paper>
  );
}

function CloseEntryModal({ entry, onClose }: { entry: LogbookEntry; onClose: () => void }) {
  const { t } = useTranslation();
  const close = useCloseEntry();
  const [comment, setComment] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    close.mutate({ id: entry.id, comment }, { onSuccess: onClose });
  };
  return (
    <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened onClose={onClose} title={t('handoverTasks.handover.closeTitle', { title: entry.title })}>
      <form onSubmit={submit}>
        <Stack gap="xs">
          <Textarea label={t('handoverTasks.fields.closingComment')} required autosize minRows={2} value={comment} onChange={(e) => setComment(e.currentTarget.value)} data-autofocus />
          {close.error && <ProblemAlert error={close.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('handoverTasks.cancel')}
            </Button>
            <Button type="submit" loading={close.isPending} disabled={!comment.trim()}>
              {t('handoverTasks.handover.close')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
