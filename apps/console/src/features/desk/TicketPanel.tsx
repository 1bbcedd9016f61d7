import { Badge, Button, Group, Kbd, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import type { CounterState } from '@guichet/live/events';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../../api/types';
import { clock, secondsSince } from '../../shared/format';
import { NeedBadges } from '../../shared/NeedBadges';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { useNow } from '../../shared/useNow';
import { TicketTransferDialog } from './TicketTransferDialog';
import type { CounterSession } from './useCounterSession';

const CALL_NEXT_KEY = 'F2';

interface Props {
  state: CounterState;
  ticket: Ticket | undefined;
  session: CounterSession;
  siteId: string;
  /** The request recorded for this visit, linked to the ticket when it is finished. */
  requestId: string | undefined;
  onFinished(): void;
}

/** The ticket at the counter and its actions; "call next" is one button or one key (F2). */
export function TicketPanel({ state, ticket, session, siteId, requestId, onFinished }: Props) {
  const { t } = useTranslation();
  const now = useNow();
  const [nothingWaiting, setNothingWaiting] = useState(false);
  const [transferOpen, setTransferOpen] = useState(false);
  const current = state.currentTicketId && ticket?.id === state.currentTicketId ? ticket : undefined;
  const canCall = state.state === 'available' && !state.currentTicketId;
  const error = [session.callNext, session.recall, session.start, session.noShow, session.finish, session.transfer].find((m) => m.error)?.error;

  const callNext = () => {
    if (!canCall || session.callNext.isPending) return;
    session.callNext.mutate(undefined, { onSuccess: (called) => setNothingWaiting(!called) });
  };
  useHotkeys([[CALL_NEXT_KEY, callNext]]);

  const done = { onSuccess: onFinished };

  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          {t('desk.ticket.title')}
        </Title>
        {current ? (
          <>
            <Group justify="space-between" align="flex-start">
              <div>
                <Text fz={48} fw={800} lh={1} data-testid="current-ticket">
                  {current.number}
                </Text>
                <Text size="sm" c="dimmed">
                  {t('desk.ticket.waited', { time: clock(secondsSince(current.arrivedAt, now)) })}
                </Text>
              </div>
              <Badge size="lg" color={current.status === 'serving' ? 'blue.8' : 'yellow.4'}>
                {t(`ticketStatus.${current.status}`)}
              </Badge>
            </Group>
            <NeedBadges needs={current.needs} />
            {current.recallCount > 0 && <Text size="sm">{t('desk.ticket.recalls', { count: current.recallCount })}</Text>}
            {current.status === 'called' && (
              <SimpleGrid cols={3} spacing="xs">
                <Button onClick={() => session.start.mutate(current.id)} loading={session.start.isPending}>
                  {t('desk.ticket.start')}
                </Button>
                <Button variant="default" onClick={() => session.recall.mutate(current.id)} loading={session.recall.isPending}>
                  {t('desk.ticket.recall')}
                </Button>
                <Button variant="outline" color="red.9" onClick={() => session.noShow.mutate(current.id, done)} loading={session.noShow.isPending}>
                  {t('desk.ticket.noShow')}
                </Button>
              </SimpleGrid>
            )}
            {current.status === 'serving' && (
              <SimpleGrid cols={2} spacing="xs">
                <Button color="teal.9" onClick={() => session.finish.mutate({ ticketId: current.id, requestId }, done)} loading={session.finish.isPending}>
                  {t('desk.ticket.finish')}
                </Button>
                <Button variant="default" onClick={() => setTransferOpen(true)}>
                  {t('desk.ticket.transfer')}
                </Button>
              </SimpleGrid>
            )}
            <TicketTransferDialog
              opened={transferOpen}
              onClose={() => setTransferOpen(false)}
              siteId={siteId}
              ticket={current}
              submit={(queueId, reason) =>
                session.transfer.mutate(
                  { ticketId: current.id, queueId, reason },
                  {
                    onSuccess: () => {
                      setTransferOpen(false);
                      onFinished();
                    },
                  },
                )
              }
              pending={session.transfer.isPending}
              error={session.transfer.error}
            />
          </>
        ) : (
          <>
            <Button size="xl" h={72} onClick={callNext} disabled={!canCall} loading={session.callNext.isPending} aria-keyshortcuts={CALL_NEXT_KEY}>
              {t('desk.ticket.callNext')}
            </Button>
            <Text size="sm" c="dimmed">
              {t('desk.ticket.shortcut')} <Kbd>{CALL_NEXT_KEY}</Kbd>
            </Text>
            {state.state === 'paused' && <Text size="sm">{t('desk.ticket.pausedHint')}</Text>}
            {nothingWaiting && (
              <Text role="status" fw={600}>
                {t('desk.ticket.nothingWaiting')}
              </Text>
            )}
          </>
        )}
        <ProblemAlert error={error} />
      </Stack>
    </Paper>
  );
}
