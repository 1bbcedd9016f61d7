import { Alert as MantineAlert, Grid, Stack } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import type { LiveMessage } from '@guichet/live/events';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useSite } from '../../app/useSite';
import { useLiveSite } from '../../live/useLiveSite';
import { PageLoader } from '../../shared/PageLoader';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { playTune } from '../../shared/sound';
import { useCounters } from '../desk/useFlowData';
import { SupervisorIncidentAlerts } from '../incidents/SupervisorIncidentAlerts';
import { AlertFeed } from './AlertFeed';
import { CountersTable } from './CountersTable';
import { HourlyPanel } from './HourlyPanel';
import { QueuesTable } from './QueuesTable';

const USER_LIVE = { kind: 'user' } as const;

/** The site at a glance, live: queues, counters and agents, alerts, today's arrivals and staffing. */
export function SupervisorPage() {
  const { t } = useTranslation();
  const { siteId, sites } = useSite();
  const queryClient = useQueryClient();
  const onLive = useCallback(
    (name: string, _message: LiveMessage) => {
      if (!name.startsWith('alert.')) return;
      void queryClient.invalidateQueries({ queryKey: ['alerts', siteId] });
      if (name === 'alert.raised') void playTune('alert');
    },
    [queryClient, siteId],
  );
  const live = useLiveSite(siteId, USER_LIVE, onLive);
  const counters = useCounters(siteId);
  const site = sites.find((s) => s.id === siteId);

  if (!siteId) return <MantineAlert color="yellow">{t('desk.noSite')}</MantineAlert>;
  if (live.error) return <ProblemAlert error={live.error} />;
  if (!live.snapshot) return <PageLoader />;

  return (
    <Grid gap="sm">
      <Grid.Col span={{ base: 12, lg: 8, xl: 9 }}>
        <Stack gap="sm">
          <QueuesTable snapshot={live.snapshot} connected={live.connected} />
          <CountersTable siteId={siteId} timeZone={site?.timeZone} snapshot={live.snapshot} counters={counters.data ?? []} />
          <HourlyPanel siteId={siteId} timeZone={site?.timeZone} queues={live.snapshot.queues} />
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 4, xl: 3 }}>
        <SupervisorIncidentAlerts siteId={siteId} />
        <AlertFeed siteId={siteId} snapshot={live.snapshot} />
      </Grid.Col>
    </Grid>
  );
}
