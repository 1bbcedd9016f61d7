import { Alert, Grid, Stack } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import type { LiveMessage } from '@guichet/live/events';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RequestRecord, Visitor } from '../../api/types';
import { useSite } from '../../app/useSite';
import { useLiveSite } from '../../live/useLiveSite';
import { PageLoader } from '../../shared/PageLoader';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { useAuth } from '../auth/useAuth';
import { NextUpPanel } from '../tasks/NextUpPanel';
import { DeskIncidentActions } from '../incidents/DeskIncidentActions';
import { CounterBar } from './CounterBar';
import { CounterQueuesPanel } from './CounterQueuesPanel';
import { OpenCounterCard } from './OpenCounterCard';
import { RequestWorkspace } from './request/RequestWorkspace';
import { TicketPanel } from './TicketPanel';
import { useCounterSession } from './useCounterSession';
import { useCounters, useTicket } from './useFlowData';
import { useVisitor } from './visitor/useVisitors';
import { VisitorPanel } from './visitor/VisitorPanel';

const USER_LIVE = { kind: 'user' } as const;

/**
 * The agent's desk: the counter they hold, the ticket being served, the visitor and the request,
 * with the knowledge base and orientation beside it. Flow state comes live from /live.
 */
export function DeskPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const { siteId } = useSite();
  const queryClient = useQueryClient();
  const [visitor, setVisitor] = useState<Visitor | null>(null);
  const [request, setRequest] = useState<RequestRecord | null>(null);
  // Bumped when a visit ends, so the visitor and request forms start blank for the next one.
  const [generation, setGeneration] = useState(0);

  const onLive = useCallback(
    (name: string, message: LiveMessage) => {
      const ticketId = (message as { ticketId?: string }).ticketId;
      if (name.startsWith('ticket.') && ticketId) void queryClient.invalidateQueries({ queryKey: ['ticket', ticketId] });
    },
    [queryClient],
  );
  const live = useLiveSite(siteId, USER_LIVE, onLive);
  const counters = useCounters(siteId);
  const mine = live.snapshot?.counters.find((c) => c.agentUserId === user?.id && c.state !== 'closed');
  const session = useCounterSession(mine?.counterId);
  const ticket = useTicket(mine?.currentTicketId).data;
  const ticketVisitor = useVisitor(ticket?.visitorId).data;
  useEffect(() => {
    if (ticketVisitor) setVisitor(ticketVisitor);
  }, [ticketVisitor]);

  const resetWorkspace = useCallback(() => {
    setVisitor(null);
    setRequest(null);
    setGeneration((g) => g + 1);
  }, []);

  if (!siteId) return <Alert color="yellow">{t('desk.noSite')}</Alert>;
  if (live.error) return <ProblemAlert error={live.error} />;
  if (!live.snapshot || !counters.data) return <PageLoader />;

  if (!mine) {
    // Safety first: calling a supervisor or security must not wait for a counter to be open.
    return (
      <Stack gap="sm">
        <DeskIncidentActions siteId={siteId} />
        <OpenCounterCard counters={counters.data} snapshot={live.snapshot} session={session} />
      </Stack>
    );
  }
  const counter = counters.data.find((c) => c.id === mine.counterId);

  return (
    <Stack gap="sm">
      <CounterBar siteId={siteId} state={mine} session={session} connected={live.connected} />
      <DeskIncidentActions siteId={siteId} counterId={mine.counterId} />
      <Grid gap="sm">
        <Grid.Col span={{ base: 12, md: 4, lg: 3 }}>
          <Stack gap="sm">
            <TicketPanel state={mine} ticket={ticket} session={session} siteId={siteId} requestId={request?.id} onFinished={resetWorkspace} />
            <CounterQueuesPanel snapshot={live.snapshot} queueIds={counter?.queueIds ?? []} />
            <NextUpPanel />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8, lg: 9 }}>
          <Stack gap="sm" key={generation}>
            <VisitorPanel siteId={siteId} visitor={visitor} onChange={setVisitor} ticketNeeds={ticket?.needs ?? []} />
            <RequestWorkspace siteId={siteId} visitor={visitor} request={request} onRequestChange={setRequest} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
