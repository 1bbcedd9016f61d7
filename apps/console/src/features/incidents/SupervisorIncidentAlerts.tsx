import { Badge, Button, Card, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { time } from '../../shared/format';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { audioBlocked, playTune, unlockAudio } from '../../shared/sound';
import { currentStep, useAcknowledgeIncidentAlert, useIncidentAlerts } from './incidentsApi';
import { IncidentFormModal } from './IncidentFormModal';
import { useLiveFeed } from './useLiveFeed';

const LIVE_PREFIXES = ['incident.'] as const;

/**
 * "Call a supervisor / security" alerts waiting for someone, oldest first, pushed live with a
 * sound (raised, and again at each escalation step). Taking one stops its escalation chain.
 */
export function SupervisorIncidentAlerts({ siteId }: { siteId: string }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const alerts = useIncidentAlerts(siteId, 'waiting');
  const acknowledge = useAcknowledgeIncidentAlert(siteId);
  const [muted, setMuted] = useState(audioBlocked);
  const [open, setOpen] = useState<string | null>(null);

  useLiveFeed(
    siteId,
    LIVE_PREFIXES,
    useCallback(
      (name: string) => {
        void queryClient.invalidateQueries({ queryKey: ['incident-alerts', siteId] });
        if (name === 'incident.alert_raised' || name === 'incident.alert_escalated') void playTune('alert');
      },
      [queryClient, siteId],
    ),
  );

  const items = alerts.data ?? [];

  return (
    <Paper withBorder p="md" mb="sm" component="section" aria-labelledby="incident-alerts-title" bg={items.length > 0 ? 'red.0' : undefined}>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="incident-alerts-title">
          {t('incidents.supervisor.title')}
        </Title>
        {muted && (
          <Button size="compact-sm" variant="default" onClick={() => void unlockAudio().then(() => setMuted(audioBlocked()))}>
            {t('incidents.supervisor.enableSound')}
          </Button>
        )}
      </Group>
      <ProblemAlert error={alerts.error ?? acknowledge.error} />
      <Stack gap="xs" aria-live="assertive">
        {items.length === 0 && <Text size="sm">{t('incidents.supervisor.none')}</Text>}
        {items.map((a) => {
          const step = currentStep(a)?.step ?? 0;
          return (
            <Card key={a.id} withBorder padding="sm">
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <div>
                  <Group gap={6}>
                    <Badge color={a.kind === 'security' ? 'red.9' : '#a5380a'}>{t(`incidents.alert.kind.${a.kind}`)}</Badge>
                    <Text size="xs">{time(a.raisedAt, i18n.language)}</Text>
                    {step > 0 && <Badge variant="outline" color="red.9">{t('incidents.alert.level', { level: step })}</Badge>}
                  </Group>
                  {a.place && <Text size="sm">{a.place}</Text>}
                  <Button size="compact-xs" variant="subtle" px={0} onClick={() => setOpen(a.incidentId)}>
                    {t('incidents.supervisor.openIncident')}
                  </Button>
                </div>
                <Button size="sm" color="red.9" onClick={() => acknowledge.mutate(a.id)} loading={acknowledge.isPending && acknowledge.variables === a.id}>
                  {t('incidents.supervisor.take')}
                </Button>
              </Group>
            </Card>
          );
        })}
      </Stack>
      {open && <IncidentFormModal incidentId={open} onClose={() => setOpen(null)} />}
    </Paper>
  );
}
