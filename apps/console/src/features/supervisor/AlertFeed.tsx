import { Badge, Button, Card, Group, Paper, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { FlowSnapshot } from '../../live/flow';
import { minutes, time } from '../../shared/format';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { type Alert, useAcknowledgeAlert, useAlerts } from './useSupervisorData';

/** Alerts that still need attention, newest first; one supervisor acknowledges each. */
export function AlertFeed({ siteId, snapshot }: { siteId: string; snapshot: FlowSnapshot }) {
  const { t, i18n } = useTranslation();
  const alerts = useAlerts(siteId);
  const acknowledge = useAcknowledgeAlert(siteId);
  const queueName = (id: string) => snapshot.queues.find((q) => q.id === id)?.name ?? '';
  const items = [...(alerts.data ?? [])].sort((a, b) => b.raisedAt.localeCompare(a.raisedAt));
  const measure = (a: Alert, value: number) => (a.unit === 'seconds' ? t('common.minutes', { count: minutes(value) }) : String(value));

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="alerts-title">
      <Title order={2} size="h4" id="alerts-title" mb="xs">
        {t('alerts.title')}
      </Title>
      <ProblemAlert error={alerts.error ?? acknowledge.error} />
      <ScrollArea.Autosize mah="70vh">
        <Stack gap="xs" aria-live="polite">
          {items.length === 0 && <Text size="sm">{t('alerts.none')}</Text>}
          {items.map((a) => (
            <Card key={a.id} withBorder padding="sm" bg={a.status === 'open' ? (a.severity === 'critical' ? 'red.0' : 'orange.0') : undefined}>
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <div>
                  <Group gap={6}>
                    <Badge color={a.severity === 'critical' ? 'red.9' : 'yellow.5'}>{t(`alerts.severity.${a.severity}`)}</Badge>
                    <Text size="xs" c="dimmed">
                      {time(a.raisedAt, i18n.language)}
                    </Text>
                  </Group>
                  <Text fw={600} size="sm" mt={4}>
                    {t(`alerts.kinds.${a.kind}`, { defaultValue: a.kind })} — {queueName(a.queueId)}
                  </Text>
                  <Text size="sm">{t('alerts.measure', { value: measure(a, a.value), threshold: measure(a, a.threshold) })}</Text>
                </div>
                {a.status === 'open' ? (
                  <Button size="xs" onClick={() => acknowledge.mutate(a.id)} loading={acknowledge.isPending && acknowledge.variables === a.id}>
                    {t('alerts.acknowledge')}
                  </Button>
                ) : (
                  <Badge variant="default">
                    {t('alerts.acknowledged')}
                  </Badge>
                )}
              </Group>
            </Card>
          ))}
        </Stack>
      </ScrollArea.Autosize>
    </Paper>
  );
}
