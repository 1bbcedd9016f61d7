import { Badge, Button, Card, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { EmailMessage, Page, RequestRecord } from '../../../api/types';
import { time } from '../../../shared/format';
import { ProblemAlert } from '../../../shared/ProblemAlert';

/** The request's e-mail thread (received and sent) and a reply box: the mail channel in the same workspace. */
export function RequestEmails({ request }: { request: RequestRecord }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [body, setBody] = useState('');
  const thread = useQuery({
    queryKey: ['emails', request.id],
    queryFn: () => api<Page<EmailMessage>>(`/requests/${request.id}/emails`, { query: { limit: 50 } }),
  });
  const reply = useMutation({
    mutationFn: () => api<EmailMessage>(`/requests/${request.id}/email-replies`, { method: 'POST', body: { body: body.trim() } }),
    onSuccess: () => {
      setBody('');
      void queryClient.invalidateQueries({ queryKey: ['emails', request.id] });
      void queryClient.invalidateQueries({ queryKey: ['timeline', request.id] });
    },
  });
  const items = thread.data?.items ?? [];

  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        {t('emails.title')}
      </Title>
      <ProblemAlert error={thread.error} />
      {items.length === 0 && <Text size="sm">{t('emails.none')}</Text>}
      {items.map((mail) => (
        <Card key={mail.id} withBorder padding="xs">
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm" fw={600} lineClamp={1}>
              {mail.subject}
            </Text>
            <Badge size="xs" variant="default">
              {t(`emails.${mail.direction}`)}
            </Badge>
          </Group>
          <Text size="xs" c="dimmed">
            {time(mail.at, i18n.language)} · {mail.direction === 'inbound' ? mail.fromAddress : mail.toAddresses.join(', ')}
          </Text>
          {mail.textBody && (
            <Text size="xs" lineClamp={4} style={{ whiteSpace: 'pre-line' }}>
              {mail.textBody}
            </Text>
          )}
        </Card>
      ))}
      <Textarea label={t('emails.reply')} autosize minRows={2} value={body} onChange={(e) => setBody(e.currentTarget.value)} />
      <ProblemAlert error={reply.error} />
      <Button size="xs" onClick={() => reply.mutate()} disabled={!body.trim()} loading={reply.isPending}>
        {t('emails.send')}
      </Button>
    </Stack>
  );
}
