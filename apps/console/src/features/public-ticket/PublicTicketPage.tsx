import { Alert, Badge, Button, Center, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api, ApiError } from '../../api/client';
import type { PublicTicket } from '../../api/types';
import { minutes } from '../../shared/format';
import { LanguageSwitch } from '../../shared/LanguageSwitch';
import { PageLoader } from '../../shared/PageLoader';
import { ProblemAlert } from '../../shared/ProblemAlert';

const REFRESH_MS = 10_000;

/** Public follow-up page behind the ticket's QR code: place, estimated wait, call, cancel. */
export function PublicTicketPage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const ticket = useQuery({
    queryKey: ['public-ticket', token],
    queryFn: () => api<PublicTicket>(`/public/tickets/${encodeURIComponent(token)}`),
    refetchInterval: (query) => (['waiting', 'parked', 'called'].includes(query.state.data?.status ?? 'waiting') ? REFRESH_MS : false),
    refetchOnWindowFocus: true,
  });
  const cancel = useMutation({
    mutationFn: () => api(`/public/tickets/${encodeURIComponent(token)}/cancel`, { method: 'POST', body: {} }),
    onSuccess: () => void ticket.refetch(),
  });

  if (ticket.isPending) return <PageLoader />;
  const data = ticket.data;

  return (
    <Center component="main" mih="100vh" bg="gray.1" p="md">
      <Paper withBorder p="xl" w={440} radius="lg">
        <Stack align="center" gap="md">
          <LanguageSwitch />
          {ticket.error instanceof ApiError && ticket.error.status === 404 ? (
            <Alert color="yellow" title={t('publicTicket.notFound')} />
          ) : (
            <ProblemAlert error={ticket.error} />
          )}
          {data && (
            <>
              <Text c="dimmed">{data.queueName}</Text>
              <Title order={1} fz={72} lh={1}>
                {data.number}
              </Title>
              <Badge size="xl" color={data.status === 'called' ? 'teal.9' : 'blue.8'}>
                {t(`ticketStatus.${data.status}`)}
              </Badge>
              <div aria-live="polite" style={{ textAlign: 'center' }}>
                {data.status === 'called' && data.counterName && (
                  <Text fz={28} fw={800}>
                    {t('publicTicket.goTo', { counter: data.counterName })}
                  </Text>
                )}
                {data.position !== null && (
                  <Text fz={24} fw={700}>
                    {t('kiosk.position', { count: data.position })}
                  </Text>
                )}
                {data.estimatedWaitSeconds !== null && <Text fz={20}>{t('kiosk.estimate', { count: minutes(data.estimatedWaitSeconds) })}</Text>}
              </div>
              <Text size="sm" c="dimmed">
                {t('publicTicket.refreshed')}
              </Text>
              {(data.status === 'waiting' || data.status === 'parked') && (
                <Button color="red.9" variant="outline" onClick={() => cancel.mutate()} loading={cancel.isPending}>
                  {t('publicTicket.cancel')}
                </Button>
              )}
              <ProblemAlert error={cancel.error} />
            </>
          )}
        </Stack>
      </Paper>
    </Center>
  );
}
