import { Badge, Button, Group, Menu, Paper, Text, Title } from '@mantine/core';
import type { CounterState } from '@guichet/live/events';
import { useTranslation } from 'react-i18next';
import { pauseReasonLabel } from '../../shared/pauseReason';
import { clock, secondsSince } from '../../shared/format';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { useNow } from '../../shared/useNow';
import { PhoneCallButton } from './phone/PhoneCallButton';
import { usePauseReasons } from './useFlowData';
import type { CounterSession } from './useCounterSession';

export const STATE_COLORS: Record<CounterState['state'], string> = { available: 'teal.9', serving: 'blue.8', paused: 'yellow.5', closed: 'gray.7' };

/** The counter held by the agent, its state for how long, and pause / resume / close. */
export function CounterBar({ siteId, state, session, connected }: { siteId: string; state: CounterState; session: CounterSession; connected: boolean }) {
  const { t } = useTranslation();
  const now = useNow();
  const reasons = usePauseReasons(siteId).data ?? [];
  const error = session.pause.error ?? session.resume.error ?? session.close.error;
  const reasonLabel = pauseReasonLabel(t, reasons, state.pauseReason);

  return (
    <Paper withBorder p="xs" px="md">
      <Group justify="space-between" wrap="wrap">
        <Group gap="md">
          <Title order={2} size="h3">
            {state.counterName}
          </Title>
          <Badge size="lg" color={STATE_COLORS[state.state]} aria-live="polite">
            {t(`counterState.${state.state}`)}
            {state.state === 'paused' && reasonLabel ? ` — ${reasonLabel}` : ''}
          </Badge>
          <Text size="sm" c="dimmed" aria-label={t('desk.since')}>
            {clock(secondsSince(state.since, now))}
          </Text>
          {!connected && (
            <Badge color="red.9" variant="outline">
              {t('live.offline')}
            </Badge>
          )}
        </Group>
        <Group gap="xs">
          <PhoneCallButton siteId={siteId} />
          {state.state === 'paused' ? (
            <Button variant="light" onClick={() => session.resume.mutate()} loading={session.resume.isPending}>
              {t('desk.resume')}
            </Button>
          ) : (
            <Menu>
              <Menu.Target>
                <Button variant="default" disabled={state.state === 'serving'}>
                  {t('desk.pause')}
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{t('desk.pauseReason')}</Menu.Label>
                {reasons.map((r) => (
                  <Menu.Item key={r.code} onClick={() => session.pause.mutate(r.code)}>
                    {pauseReasonLabel(t, reasons, r.code)}
                  </Menu.Item>
                ))}
              </Menu.Dropdown>
            </Menu>
          )}
          <Button variant="outline" color="red.9" onClick={() => session.close.mutate()} loading={session.close.isPending} disabled={state.state === 'serving'}>
            {t('desk.close')}
          </Button>
        </Group>
      </Group>
      <ProblemAlert error={error} />
    </Paper>
  );
}
