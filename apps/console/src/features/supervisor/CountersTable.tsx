import { Badge, Button, Paper, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { pauseReasonLabel } from '../../shared/pauseReason';
import type { Counter } from '../../api/types';
import type { FlowSnapshot } from '../../live/flow';
import { clock, secondsSince } from '../../shared/format';
import { useNow } from '../../shared/useNow';
import { STATE_COLORS } from '../desk/CounterBar';
import { usePauseReasons } from '../desk/useFlowData';
import { MoveCounterDialog } from './MoveCounterDialog';
import { siteToday, useAgentStates } from './useSupervisorData';

/** Counters and their agents: state for how long, queues served, and moving a counter to other queues. */
export function CountersTable({ siteId, timeZone, snapshot, counters }: { siteId: string; timeZone: string | undefined; snapshot: FlowSnapshot; counters: Counter[] }) {
  const { t } = useTranslation();
  const now = useNow();
  const reasons = usePauseReasons(siteId).data ?? [];
  const [moving, setMoving] = useState<Counter | null>(null);
  const agentStates = useAgentStates(siteId, timeZone ? siteToday(timeZone) : undefined).data ?? [];
  const today = (userId: string | null, state: string) =>
    clock(agentStates.filter((a) => a.userId === userId && a.state === state).reduce((sum, a) => sum + a.seconds, 0));
  const queueName = (id: string) => snapshot.queues.find((q) => q.id === id)?.prefix ?? '?';

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="counters-title">
      <Title order={2} size="h4" id="counters-title" mb="xs">
        {t('supervisor.counters')}
      </Title>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('supervisor.counter')}</Table.Th>
            <Table.Th>{t('supervisor.state')}</Table.Th>
            <Table.Th>{t('supervisor.servedQueues')}</Table.Th>
            <Table.Th>{t('supervisor.todayTotals')}</Table.Th>
            <Table.Th>
              <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {snapshot.counters.map((state) => {
            const counter = counters.find((c) => c.id === state.counterId);
            const reason = pauseReasonLabel(t, reasons, state.pauseReason);
            return (
              <Table.Tr key={state.counterId}>
                <Table.Td>
                  <Text fw={600} size="sm">
                    {state.counterName}
                  </Text>
                  <Text size="sm">{state.agentName ?? '—'}</Text>
                </Table.Td>
                <Table.Td>
                  <Badge color={STATE_COLORS[state.state]}>{t(`counterState.${state.state}`)}</Badge>
                  <Text size="xs" c="dimmed">
                    {state.state === 'closed' ? '' : t('supervisor.for', { time: clock(secondsSince(state.since, now)) })}
                    {state.state === 'paused' && reason ? ` · ${reason}` : ''}
                  </Text>
                </Table.Td>
                <Table.Td>{counter?.queueIds.map(queueName).join(', ')}</Table.Td>
                <Table.Td fz="xs">
                  {state.agentUserId &&
                    t('supervisor.totals', { serving: today(state.agentUserId, 'serving'), paused: today(state.agentUserId, 'paused') })}
                </Table.Td>
                <Table.Td>
                  {counter && (
                    <Button size="xs" variant="default" onClick={() => setMoving(counter)} aria-label={t('supervisor.moveCounter', { name: state.counterName })}>
                      {t('supervisor.move')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {moving && <MoveCounterDialog siteId={siteId} counter={moving} queues={snapshot.queues} onClose={() => setMoving(null)} />}
    </Paper>
  );
}
