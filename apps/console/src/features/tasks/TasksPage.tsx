import { Alert, Badge, Button, Checkbox, Grid, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import type { LiveMessage } from '@guichet/live/events';
import { type FormEvent, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSite } from '../../app/useSite';
import { useLiveSite } from '../../live/useLiveSite';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { localInputToIso, shortDateTime } from './localTime';
import {
  QUADRANTS,
  TASKS_KEY,
  type Task,
  useCallbackAttempt,
  useCloseTask,
  useCreateCallback,
  useCreateTask,
  useMyCallbacks,
  useMyTasks,
} from './useTasks';

const USER_LIVE = { kind: 'user' } as const;
const ATTEMPTS = ['reached', 'no_answer', 'voicemail', 'wrong_number'] as const;

/** The agent's tasks in the four quadrants (urgent × important) and the callbacks to make (C1.1). */
export function TasksPage() {
  const { t, i18n } = useTranslation();
  const { siteId, sites } = useSite();
  const zone = sites.find((s) => s.id === siteId)?.timeZone ?? 'Europe/Paris';
  const queryClient = useQueryClient();
  const tasks = useMyTasks(siteId);
  const callbacks = useMyCallbacks(siteId);
  const [reminders, setReminders] = useState<string[]>([]);

  // Events are private to the owner's rooms and carry ids only: re-read, and keep reminders on screen.
  const onLive = useCallback(
    (name: string, message: LiveMessage) => {
      if (name.startsWith('task.') || name.startsWith('callback.')) void queryClient.invalidateQueries({ queryKey: [TASKS_KEY] });
      if (name === 'task.reminder') setReminders((list) => [...new Set([...list, (message as { taskId: string }).taskId])]);
    },
    [queryClient],
  );
  const live = useLiveSite(siteId, USER_LIVE, onLive);
  const byId = new Map((tasks.data ?? []).map((task) => [task.id, task]));

  if (!siteId) return <Alert color="yellow">{t('desk.noSite')}</Alert>;

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('handoverTasks.tasks.title')}
        </Title>
        <Badge color={live.connected ? 'teal.9' : 'red.9'}>{live.connected ? t('live.online') : t('live.offline')}</Badge>
      </Group>
      <div role="status" aria-live="polite">
        {reminders.map((id) => (
          <Alert key={id} color="orange" title={t('handoverTasks.tasks.reminder')} withCloseButton closeButtonLabel={t('handoverTasks.dismiss')} onClose={() => setReminders((l) => l.filter((x) => x !== id))}>
            {byId.get(id)?.title ?? ''}
          </Alert>
        ))}
      </div>
      <NewTaskForm siteId={siteId} zone={zone} />
      {tasks.error && <ProblemAlert error={tasks.error} />}
      <Grid gap="sm">
        {QUADRANTS.map((quadrant) => (
          <Grid.Col key={quadrant} span={{ base: 12, md: 6 }}>
            <Paper withBorder p="sm" component="section" aria-labelledby={`quadrant-${quadrant}`} h="100%">
              <Title order={2} size="h4" id={`quadrant-${quadrant}`}>
                {t(`handoverTasks.quadrant.${quadrant}`)}
              </Title>
              <Text size="xs" mb="xs">
                {t(`handoverTasks.quadrantHint.${quadrant}`)}
              </Text>
              <TaskList tasks={(tasks.data ?? []).filter((task) => task.quadrant === quadrant)} zone={zone} locale={i18n.language} />
            </Paper>
          </Grid.Col>
        ))}
      </Grid>
      <CallbacksSection siteId={siteId} zone={zone} />
      {callbacks.error && <ProblemAlert error={callbacks.error} />}
    </Stack>
  );
}

function TaskList({ tasks, zone, locale }: { tasks: Task[]; zone: string; locale: string }) {
  const { t } = useTranslation();
  const close = useCloseTask();
  if (tasks.length === 0) return <Text size="sm">{t('handoverTasks.tasks.none')}</Text>;
  return (
    <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {close.error && <ProblemAlert error={close.error} />}
      {tasks.map((task) => (
        <Group component="li" key={task.id} justify="space-between" wrap="nowrap">
          <div>
            <Text size="sm" fw={600}>
              {task.title}
            </Text>
            <Text size="xs">
              {task.dueAt ? t('handoverTasks.tasks.dueAt', { when: shortDateTime(task.dueAt, zone, locale) }) : t('handoverTasks.tasks.noDue')}
              {task.remindAt && !task.reminderSentAt && ` · ${t('handoverTasks.tasks.remindAt', { when: shortDateTime(task.remindAt, zone, locale) })}`}
              {task.recurrence && ` · ${t('handoverTasks.tasks.recurring')}`}
            </Text>
          </div>
          <Group gap={4} wrap="nowrap">
            <Button size="xs" onClick={() => close.mutate({ id: task.id, action: 'complete' })} aria-label={t('handoverTasks.tasks.completeLabel', { title: task.title })}>
              {t('handoverTasks.tasks.complete')}
            </Button>
            <Button size="xs" variant="default" onClick={() => close.mutate({ id: task.id, action: 'cancel' })} aria-label={t('handoverTasks.tasks.cancelLabel', { title: task.title })}>
              {t('handoverTasks.tasks.cancel')}
            </Button>
          </Group>
        </Group>
      ))}
    </Stack>
  );
}

function NewTaskForm({ siteId, zone }: { siteId: string; zone: string }) {
  const { t } = useTranslation();
  const create = useCreateTask();
  const [title, setTitle] = useState('');
  const [urgent, setUrgent] = useState(false);
  const [important, setImportant] = useState(false);
  const [due, setDue] = useState('');
  const [remind, setRemind] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { siteId, title, urgent, important, dueAt: localInputToIso(due, zone), remindAt: localInputToIso(remind, zone) },
      {
        onSuccess: () => {
          setTitle('');
          setUrgent(false);
          setImportant(false);
          setDue('');
          setRemind('');
        },
      },
    );
  };

  return (
    <Paper withBorder p="sm" component="form" onSubmit={submit} aria-labelledby="new-task-title">
      <Title order={2} size="h4" id="new-task-title" mb="xs">
        {t('handoverTasks.tasks.new')}
      </Title>
      <Group align="flex-end" gap="sm">
        <TextInput label={t('handoverTasks.fields.title')} required value={title} onChange={(e) => setTitle(e.currentTarget.value)} maxLength={200} style={{ flex: 1, minWidth: 220 }} />
        <TextInput type="datetime-local" label={t('handoverTasks.fields.dueAt')} value={due} onChange={(e) => setDue(e.currentTarget.value)} />
        <TextInput type="datetime-local" label={t('handoverTasks.fields.remindAt')} value={remind} onChange={(e) => setRemind(e.currentTarget.value)} />
        <Checkbox label={t('handoverTasks.fields.urgent')} checked={urgent} onChange={(e) => setUrgent(e.currentTarget.checked)} />
        <Checkbox label={t('handoverTasks.fields.important')} checked={important} onChange={(e) => setImportant(e.currentTarget.checked)} />
        <Button type="submit" loading={create.isPending} disabled={!title.trim()}>
          {t('handoverTasks.tasks.add')}
        </Button>
      </Group>
      {create.error && <ProblemAlert error={create.error} />}
    </Paper>
  );
}

function CallbacksSection({ siteId, zone }: { siteId: string; zone: string }) {
  const { t, i18n } = useTranslation();
  const callbacks = useMyCallbacks(siteId);
  const create = useCreateCallback();
  const attempt = useCallbackAttempt();
  const [contactName, setContactName] = useState('');
  const [phone, setPhone] = useState('');
  const [subject, setSubject] = useState('');
  const [callBefore, setCallBefore] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { siteId, contactName, phone, subject, callBefore: localInputToIso(callBefore, zone) },
      {
        onSuccess: () => {
          setContactName('');
          setPhone('');
          setSubject('');
          setCallBefore('');
        },
      },
    );
  };

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="callbacks-title">
      <Title order={2} size="h4" id="callbacks-title" mb="xs">
        {t('handoverTasks.callbacks.title')}
      </Title>
      <form onSubmit={submit} aria-label={t('handoverTasks.callbacks.new')}>
        <Group align="flex-end" gap="sm">
          <TextInput label={t('handoverTasks.fields.contactName')} required value={contactName} onChange={(e) => setContactName(e.currentTarget.value)} maxLength={200} />
          <TextInput label={t('handoverTasks.fields.phone')} type="tel" required value={phone} onChange={(e) => setPhone(e.currentTarget.value)} maxLength={40} />
          <TextInput label={t('handoverTasks.fields.subject')} required value={subject} onChange={(e) => setSubject(e.currentTarget.value)} maxLength={500} style={{ flex: 1, minWidth: 200 }} />
          <TextInput type="datetime-local" label={t('handoverTasks.fields.callBefore')} value={callBefore} onChange={(e) => setCallBefore(e.currentTarget.value)} />
          <Button type="submit" loading={create.isPending} disabled={!contactName.trim() || !phone.trim() || !subject.trim()}>
            {t('handoverTasks.callbacks.add')}
          </Button>
        </Group>
      </form>
      {create.error && <ProblemAlert error={create.error} />}
      {attempt.error && <ProblemAlert error={attempt.error} />}
      <Table mt="sm" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('handoverTasks.fields.contactName')}</Table.Th>
            <Table.Th>{t('handoverTasks.fields.phone')}</Table.Th>
            <Table.Th>{t('handoverTasks.fields.subject')}</Table.Th>
            <Table.Th>{t('handoverTasks.fields.callBefore')}</Table.Th>
            <Table.Th>{t('handoverTasks.callbacks.attempts')}</Table.Th>
            <Table.Th>{t('handoverTasks.callbacks.logAttempt')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(callbacks.data ?? []).map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>{c.contactName}</Table.Td>
              <Table.Td>
                <a href={`tel:${c.phone}`}>{c.phone}</a>
              </Table.Td>
              <Table.Td>{c.subject}</Table.Td>
              <Table.Td>{shortDateTime(c.callBefore, zone, i18n.language)}</Table.Td>
              <Table.Td>{c.attemptCount}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {ATTEMPTS.map((result) => (
                    <Button key={result} size="compact-xs" variant={result === 'reached' ? 'filled' : 'default'} onClick={() => attempt.mutate({ id: c.id, result })} aria-label={`${t(`handoverTasks.attempt.${result}`)} — ${c.contactName}`}>
                      {t(`handoverTasks.attempt.${result}`)}
                    </Button>
                  ))}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {callbacks.data?.length === 0 && <Text size="sm">{t('handoverTasks.callbacks.none')}</Text>}
    </Paper>
  );
}
