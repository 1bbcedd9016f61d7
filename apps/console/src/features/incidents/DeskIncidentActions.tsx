import { Badge, Button, Group, Paper, Text, VisuallyHidden } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { time } from '../../shared/format';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { useAuth } from '../auth/useAuth';
import { useUnreadCount } from '../messages/messagesApi';
import { type AlertKind, currentStep, type Incident, useIncidentAlerts, useRaiseAlert } from './incidentsApi';
import { IncidentFormModal } from './IncidentFormModal';
import { useLiveFeed } from './useLiveFeed';

const LIVE_PREFIXES = ['incident.', 'message.'] as const;

/**
 * The desk's safety strip: "call a supervisor" and "call security" in one tap each (the alert is
 * pushed at once; the agent sees when someone takes it), the incident form to fill in once calm
 * is back, and the messages link with the live unread count.
 */
export function DeskIncidentActions({ siteId, counterId }: { siteId: string; counterId?: string }) {
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const raise = useRaiseAlert(siteId);
  const alerts = useIncidentAlerts(siteId, 'all');
  const unread = useUnreadCount(siteId);
  const [editing, setEditing] = useState<string | null>(null);
  const [reporting, setReporting] = useState(false);
  const [reportError, setReportError] = useState<unknown>(null);

  useLiveFeed(
    siteId,
    LIVE_PREFIXES,
    useCallback(
      (name: string) => {
        if (name.startsWith('incident.') || name === 'reconnected') void queryClient.invalidateQueries({ queryKey: ['incident-alerts', siteId] });
        if (name.startsWith('message.') || name === 'reconnected') void queryClient.invalidateQueries({ queryKey: ['messages'] });
      },
      [queryClient, siteId],
    ),
  );

  const mine = (alerts.data ?? []).filter((a) => a.raisedByUserId === user?.id);
  const latest = mine[mine.length - 1];
  const call = (kind: AlertKind) => raise.mutate({ kind, ...(counterId ? { counterId } : {}) });

  const reportIncident = async () => {
    setReporting(true);
    setReportError(null);
    try {
      const incident = await api<Incident>('/incidents', { method: 'POST', body: { siteId, severity: 'tension', ...(counterId ? { counterId } : {}) } });
      setEditing(incident.id);
    } catch (error) {
      setReportError(error);
    } finally {
      setReporting(false);
    }
  };

  return (
    <Paper withBorder p="xs" px="md" component="section" aria-labelledby="incident-actions-title">
      <VisuallyHidden>
        <h2 id="incident-actions-title">{t('incidents.desk.title')}</h2>
      </VisuallyHidden>
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Group gap="sm" wrap="wrap">
          <Button color="#a5380a" onClick={() => call('supervisor')} loading={raise.isPending && raise.variables?.kind === 'supervisor'}>
            {t('incidents.desk.callSupervisor')}
          </Button>
          <Button color="red.9" onClick={() => call('security')} loading={raise.isPending && raise.variables?.kind === 'security'}>
            {t('incidents.desk.callSecurity')}
          </Button>
          <Button variant="default" onClick={() => void reportIncident()} loading={reporting}>
            {t('incidents.desk.report')}
          </Button>
        </Group>
        <Button component={Link} to="/messages" variant="subtle" aria-label={t('messages.badgeLabel', { count: unread.data?.unread ?? 0 })}>
          {t('messages.title')}
          {(unread.data?.unread ?? 0) > 0 && (
            <Badge ml={6} color={(unread.data?.urgent ?? 0) > 0 ? 'red.9' : 'blue.8'} aria-hidden>
              {unread.data?.unread}
            </Badge>
          )}
        </Button>
      </Group>
      <div aria-live="assertive">
        {latest && (
          <Group gap="xs" mt="xs">
            <Badge color={latest.acknowledgedAt ? 'teal.9' : 'red.9'}>
              {latest.acknowledgedAt ? t('incidents.alert.taken') : t('incidents.alert.waiting')}
            </Badge>
            <Text size="sm">
              {t(`incidents.alert.kind.${latest.kind}`)} — {time(latest.raisedAt, i18n.language)}
              {!latest.acknowledgedAt && (currentStep(latest)?.step ?? 0) > 0 && ` — ${t('incidents.alert.level', { level: currentStep(latest)?.step })}`}
            </Text>
            <Button size="compact-sm" variant="default" onClick={() => setEditing(latest.incidentId)}>
              {t('incidents.desk.fillForm')}
            </Button>
          </Group>
        )}
      </div>
      <ProblemAlert error={raise.error ?? reportError} />
      {editing && <IncidentFormModal incidentId={editing} onClose={() => setEditing(null)} />}
    </Paper>
  );
}
