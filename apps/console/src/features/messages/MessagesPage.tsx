import { Alert, Badge, Button, Card, Checkbox, Grid, Group, NativeSelect, Paper, SegmentedControl, Stack, Tabs, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSite } from '../../app/useSite';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { useAuth } from '../auth/useAuth';
import { useLiveFeed } from '../incidents/useLiveFeed';
import { type Message, PRIORITIES, type Priority, type RecipientType, useInbox, useMarkRead, useMessage, useOutbox, useRecipients, useSendMessage, useUnreadCount } from './messagesApi';

const LIVE_PREFIXES = ['message.'] as const;
const PRIORITY_COLORS: Record<Priority, string> = { low: 'gray.7', normal: 'blue.8', high: '#a5380a', urgent: 'red.9' };

type Target = RecipientType | 'management';

function MessageCard({ message, selected, onSelect, showRead }: { message: Message; selected: boolean; onSelect(): void; showRead: boolean }) {
  const { t, i18n } = useTranslation();
  const unread = showRead && !message.readAt;
  return (
    <Card withBorder padding="xs" bg={selected ? 'blue.0' : undefined}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <div style={{ minWidth: 0 }}>
          <Group gap={6}>
            {unread && <Badge color="blue.8">{t('messages.unread')}</Badge>}
            {message.priority !== 'normal' && <Badge color={PRIORITY_COLORS[message.priority]}>{t(`messages.priority.${message.priority}`)}</Badge>}
            {message.kind === 'management_report' && <Badge variant="outline">{t('messages.kind.management_report')}</Badge>}
            {!message.active && <Badge variant="default">{t('messages.expired')}</Badge>}
          </Group>
          <Text fw={unread ? 700 : 500} size="sm" mt={4} truncate>
            {message.subject}
          </Text>
          <Text size="xs">
            {showRead ? message.senderName : t('messages.readBy', { read: message.readCount ?? 0, total: message.recipientCount ?? 0 })} —{' '}
            {new Date(message.createdAt).toLocaleString(i18n.language)}
          </Text>
        </div>
        <Button size="compact-sm" variant="default" onClick={onSelect} aria-pressed={selected}>
          {t('messages.open')}
        </Button>
      </Group>
    </Card>
  );
}

function MessageDetail({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const message = useMessage(id);
  const markRead = useMarkRead();
  const m = message.data;
  const marked = useRef(new Set<string>());
  const { mutate } = markRead;
  // Opening an unread message reads it, once per message shown.
  useEffect(() => {
    if (!m || m.readAt !== null || marked.current.has(m.id)) return;
    marked.current.add(m.id);
    mutate(m.id);
  }, [m, mutate]);
  return (
    <Paper withBorder p="md" component="article" aria-labelledby="message-subject">
      <ProblemAlert error={message.error ?? markRead.error} />
      {m && (
        <Stack gap="xs">
          <Title order={3} size="h4" id="message-subject">
            {m.subject}
          </Title>
          <Text size="sm">
            {t('messages.from', { name: m.senderName ?? '—' })} — {new Date(m.createdAt).toLocaleString(i18n.language)}
            {m.expiresAt && ` — ${t('messages.expiresAt', { at: new Date(m.expiresAt).toLocaleString(i18n.language) })}`}
          </Text>
          <Text style={{ whiteSpace: 'pre-wrap' }}>{m.body}</Text>
          {m.receipts && (
            <section aria-labelledby="receipts-title">
              <Title order={4} size="h5" id="receipts-title" mt="sm">
                {t('messages.receipts', { read: m.readCount ?? 0, total: m.recipientCount ?? 0 })}
              </Title>
              <Stack gap={2} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                {m.receipts.map((r) => (
                  <Text key={r.userId} component="li" size="sm">
                    {r.displayName} — {r.readAt ? t('messages.readAt', { at: new Date(r.readAt).toLocaleString(i18n.language) }) : t('messages.notRead')}
                  </Text>
                ))}
              </Stack>
            </section>
          )}
        </Stack>
      )}
    </Paper>
  );
}

function Compose({ siteId, onSent }: { siteId: string; onSent(id: string): void }) {
  const { t } = useTranslation();
  const { user } = useAuth();
  const recipients = useRecipients(siteId);
  const send = useSendMessage(siteId);
  const [target, setTarget] = useState<Target>('user');
  const [userId, setUserId] = useState('');
  const [serviceId, setServiceId] = useState('');
  const [priority, setPriority] = useState<Priority>('normal');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [expires, setExpires] = useState(false);
  const [expiresAt, setExpiresAt] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const management = target === 'management';
    send.mutate(
      {
        kind: management ? 'management_report' : 'message',
        ...(management ? {} : { recipientType: target }),
        ...(target === 'user' ? { recipientUserId: userId } : {}),
        ...(target === 'service' ? { recipientServiceId: serviceId } : {}),
        priority,
        subject,
        body,
        ...(expires && expiresAt ? { expiresAt: new Date(expiresAt).toISOString() } : {}),
      },
      {
        onSuccess: (m) => {
          setSubject('');
          setBody('');
          onSent(m.id);
        },
      },
    );
  };

  const colleagues = (recipients.data?.users ?? []).filter((u) => u.id !== user?.id);
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-labelledby="compose-title">
      <Title order={3} size="h4" id="compose-title" mb="xs">
        {t('messages.compose')}
      </Title>
      <Stack gap="sm">
        <NativeSelect
          label={t('messages.to')}
          value={target}
          onChange={(e) => setTarget(e.currentTarget.value as Target)}
          data={(['user', 'service', 'site', 'management'] as const).map((v) => ({ value: v, label: t(`messages.target.${v}`) }))}
        />
        {target === 'user' && (
          <NativeSelect
            label={t('messages.colleague')}
            required
            value={userId}
            onChange={(e) => setUserId(e.currentTarget.value)}
            data={[{ value: '', label: '—' }, ...colleagues.map((u) => ({ value: u.id, label: u.displayName }))]}
          />
        )}
        {target === 'service' && (
          <NativeSelect
            label={t('messages.service')}
            required
            value={serviceId}
            onChange={(e) => setServiceId(e.currentTarget.value)}
            data={[{ value: '', label: '—' }, ...(recipients.data?.services ?? []).map((s) => ({ value: s.id, label: s.name }))]}
          />
        )}
        <NativeSelect
          label={t('messages.priorityLabel')}
          value={priority}
          onChange={(e) => setPriority(e.currentTarget.value as Priority)}
          data={PRIORITIES.map((p) => ({ value: p, label: t(`messages.priority.${p}`) }))}
        />
        <TextInput label={t('messages.subject')} required maxLength={200} value={subject} onChange={(e) => setSubject(e.currentTarget.value)} />
        <Textarea label={t('messages.body')} autosize minRows={3} maxLength={8000} value={body} onChange={(e) => setBody(e.currentTarget.value)} />
        <Checkbox label={t('messages.withExpiry')} checked={expires} onChange={(e) => setExpires(e.currentTarget.checked)} />
        {expires && <TextInput type="datetime-local" label={t('messages.expiry')} value={expiresAt} onChange={(e) => setExpiresAt(e.currentTarget.value)} />}
        <ProblemAlert error={send.error ?? recipients.error} />
        {send.isSuccess && (
          <Text size="sm" c="teal.9" role="status">
            {t('messages.sent')}
          </Text>
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={send.isPending}>
            {t('messages.send')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

/** Inbox (unread first), sent messages with their read receipts, and a composer; all live. */
export function MessagesPage() {
  const { t } = useTranslation();
  const { siteId } = useSite();
  const queryClient = useQueryClient();
  const [tab, setTab] = useState<string | null>('inbox');
  const [status, setStatus] = useState<'active' | 'all'>('active');
  const [selected, setSelected] = useState<string>();
  const inbox = useInbox(siteId, status);
  const outbox = useOutbox(siteId);
  const unread = useUnreadCount(siteId);

  useLiveFeed(
    siteId,
    LIVE_PREFIXES,
    useCallback(() => void queryClient.invalidateQueries({ queryKey: ['messages'] }), [queryClient]),
  );

  if (!siteId) return <Alert color="yellow">{t('desk.noSite')}</Alert>;

  return (
    <Stack gap="sm">
      <Group gap="sm">
        <Title order={2}>{t('messages.title')}</Title>
        <Badge size="lg" color={(unread.data?.urgent ?? 0) > 0 ? 'red.9' : 'blue.8'} aria-live="polite">
          {t('messages.unreadCount', { count: unread.data?.unread ?? 0 })}
        </Badge>
      </Group>
      <Grid gap="sm">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Tabs value={tab} onChange={setTab}>
            <Tabs.List>
              <Tabs.Tab value="inbox">{t('messages.inbox')}</Tabs.Tab>
              <Tabs.Tab value="outbox">{t('messages.outbox')}</Tabs.Tab>
              <Tabs.Tab value="compose">{t('messages.compose')}</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="inbox" pt="xs">
              <SegmentedControl
                mb="xs"
                value={status}
                onChange={(v) => setStatus(v as 'active' | 'all')}
                data={[
                  { value: 'active', label: t('messages.active') },
                  { value: 'all', label: t('messages.all') },
                ]}
              />
              <ProblemAlert error={inbox.error} />
              <Stack gap="xs">
                {inbox.data?.items.length === 0 && <Text size="sm">{t('messages.empty')}</Text>}
                {inbox.data?.items.map((m) => (
                  <MessageCard key={m.id} message={m} selected={selected === m.id} onSelect={() => setSelected(m.id)} showRead />
                ))}
              </Stack>
            </Tabs.Panel>
            <Tabs.Panel value="outbox" pt="xs">
              <ProblemAlert error={outbox.error} />
              <Stack gap="xs">
                {outbox.data?.items.length === 0 && <Text size="sm">{t('messages.empty')}</Text>}
                {outbox.data?.items.map((m) => (
                  <MessageCard key={m.id} message={m} selected={selected === m.id} onSelect={() => setSelected(m.id)} showRead={false} />
                ))}
              </Stack>
            </Tabs.Panel>
            <Tabs.Panel value="compose" pt="xs">
              <Compose
                siteId={siteId}
                onSent={(id) => {
                  setSelected(id);
                  setTab('outbox');
                }}
              />
            </Tabs.Panel>
          </Tabs>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>{selected ? <MessageDetail id={selected} /> : <Text size="sm">{t('messages.select')}</Text>}</Grid.Col>
      </Grid>
    </Stack>
  );
}
