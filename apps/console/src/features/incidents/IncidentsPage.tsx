import { Alert, Badge, Button, Group, NativeSelect, Pagination, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSite } from '../../app/useSite';
import { PageLoader } from '../../shared/PageLoader';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { hasRole, useAuth } from '../auth/useAuth';
import { type RegisterFilters, SEVERITIES, type Severity, useIncidents, useIncidentStats } from './incidentsApi';
import { EscalationPolicyPanel } from './EscalationPolicyPanel';
import { IncidentFormModal } from './IncidentFormModal';

const PAGE_SIZE = 25;
const SEVERITY_COLORS: Record<Severity, string> = { tension: 'yellow.5', conflict: '#a5380a', aggression: 'red.9', security: 'grape.9' };

/** One row of bars with their numbers (never colour alone), for hours or weekdays. */
function Bars({ title, labels, values }: { title: string; labels: string[]; values: number[] }) {
  const max = Math.max(1, ...values);
  return (
    <figure style={{ margin: 0 }}>
      <figcaption>
        <Text fw={600} size="sm">
          {title}
        </Text>
      </figcaption>
      <Group gap={2} align="flex-end" wrap="nowrap" mt={4} role="list">
        {values.map((v, i) => (
          <div key={labels[i]} role="listitem" aria-label={`${labels[i]} : ${v}`} style={{ flex: 1, textAlign: 'center', minWidth: 0 }}>
            <Text size="xs" aria-hidden>
              {v || ''}
            </Text>
            <div style={{ height: `${(v / max) * 64}px`, minHeight: 1, background: 'var(--mantine-color-blue-8)' }} />
            <Text size="xs" aria-hidden>
              {labels[i]}
            </Text>
          </div>
        ))}
      </Group>
    </figure>
  );
}

/** The site's incident register (main courante des incidents): filters, figures, follow-up. */
export function IncidentsPage() {
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const { siteId, sites } = useSite();
  const [filters, setFilters] = useState<RegisterFilters>({ severity: '', status: '', from: '', to: '', page: 1 });
  const [open, setOpen] = useState<string | null>(null);
  const supervisor = hasRole(user, 'supervisor');
  const incidents = useIncidents(siteId, filters);
  const stats = useIncidentStats(siteId, filters, supervisor);
  const site = sites.find((s) => s.id === siteId);
  const set = (patch: Partial<RegisterFilters>) => setFilters((f) => ({ ...f, ...patch, page: 1 }));
  const weekdays = Array.from({ length: 7 }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)).toLocaleDateString(i18n.language, { weekday: 'short', timeZone: 'UTC' }));
  const hours = Array.from({ length: 24 }, (_, h) => String(h));

  if (!siteId) return <Alert color="yellow">{t('desk.noSite')}</Alert>;

  return (
    <Stack gap="sm">
      <Title order={2}>{t('incidents.register.title')}</Title>
      <Paper withBorder p="sm" component="form" aria-label={t('incidents.register.filters')} onSubmit={(e) => e.preventDefault()}>
        <Group gap="sm" align="flex-end" wrap="wrap">
          <NativeSelect
            label={t('incidents.fields.severity')}
            value={filters.severity}
            onChange={(e) => set({ severity: e.currentTarget.value as Severity | '' })}
            data={[{ value: '', label: t('incidents.register.all') }, ...SEVERITIES.map((s) => ({ value: s, label: t(`incidents.severity.${s}`) }))]}
          />
          <NativeSelect
            label={t('incidents.register.status')}
            value={filters.status}
            onChange={(e) => set({ status: e.currentTarget.value as RegisterFilters['status'] })}
            data={[
              { value: '', label: t('incidents.register.all') },
              { value: 'open', label: t('incidents.status.open') },
              { value: 'closed', label: t('incidents.status.closed') },
            ]}
          />
          <TextInput type="date" label={t('incidents.register.from')} value={filters.from} onChange={(e) => set({ from: e.currentTarget.value })} />
          <TextInput type="date" label={t('incidents.register.to')} value={filters.to} onChange={(e) => set({ to: e.currentTarget.value })} />
          <Button variant="default" onClick={() => setFilters({ severity: '', status: '', from: '', to: '', page: 1 })}>
            {t('incidents.register.reset')}
          </Button>
        </Group>
      </Paper>

      {supervisor && (
        <Paper withBorder p="sm" component="section" aria-labelledby="incident-figures-title">
          <Title order={3} size="h4" id="incident-figures-title" mb="xs">
            {t('incidents.register.figures', { zone: stats.data?.timeZone ?? site?.timeZone ?? '' })}
          </Title>
          <ProblemAlert error={stats.error} />
          {stats.data && (
            <Stack gap="sm">
              <Group gap="lg" wrap="wrap">
                <Text>
                  {t('incidents.register.total')} : <strong>{stats.data.total}</strong>
                </Text>
                <Text>
                  {t('incidents.register.open')} : <strong>{stats.data.open}</strong>
                </Text>
                {SEVERITIES.map((s) => (
                  <Badge key={s} color={SEVERITY_COLORS[s]} size="lg">
                    {t(`incidents.severity.${s}`)} : {stats.data.bySeverity[s]}
                  </Badge>
                ))}
              </Group>
              <Text size="sm">
                {t('incidents.register.alerts', {
                  raised: stats.data.alerts.raised,
                  escalated: stats.data.alerts.escalated,
                  median: stats.data.alerts.medianAcknowledgeSeconds ?? '—',
                })}
              </Text>
              <SimpleGrid cols={{ base: 1, md: 2 }}>
                <Bars title={t('incidents.register.byHour')} labels={hours} values={stats.data.byHour} />
                <Bars title={t('incidents.register.byWeekday')} labels={weekdays} values={stats.data.byWeekday} />
              </SimpleGrid>
            </Stack>
          )}
        </Paper>
      )}

      {supervisor && <EscalationPolicyPanel siteId={siteId} />}

      <Paper withBorder p="sm" component="section" aria-labelledby="incident-list-title">
        <Title order={3} size="h4" id="incident-list-title" mb="xs">
          {t('incidents.register.list', { count: incidents.data?.total ?? 0 })}
        </Title>
        <ProblemAlert error={incidents.error} />
        {!incidents.data && !incidents.error && <PageLoader />}
        {incidents.data && incidents.data.items.length === 0 && <Text size="sm">{t('incidents.register.none')}</Text>}
        {incidents.data && incidents.data.items.length > 0 && (
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('incidents.register.when')}</Table.Th>
                <Table.Th>{t('incidents.fields.severity')}</Table.Th>
                <Table.Th>{t('incidents.fields.place')}</Table.Th>
                <Table.Th>{t('incidents.fields.outcome')}</Table.Th>
                <Table.Th>{t('incidents.register.status')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {incidents.data.items.map((i) => (
                <Table.Tr key={i.id}>
                  <Table.Td>{new Date(i.occurredAt).toLocaleString(i18n.language, { timeZone: site?.timeZone })}</Table.Td>
                  <Table.Td>
                    <Badge color={SEVERITY_COLORS[i.severity]}>{t(`incidents.severity.${i.severity}`)}</Badge>
                  </Table.Td>
                  <Table.Td>{i.place ?? ''}</Table.Td>
                  <Table.Td>{i.outcome ? t(`incidents.outcome.${i.outcome}`) : ''}</Table.Td>
                  <Table.Td>{t(`incidents.status.${i.status}`)}</Table.Td>
                  <Table.Td>
                    <Button size="compact-sm" variant="default" onClick={() => setOpen(i.id)}>
                      {t('incidents.register.open_action')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {incidents.data && incidents.data.total > PAGE_SIZE && (
          <Pagination mt="sm" total={Math.ceil(incidents.data.total / PAGE_SIZE)} value={filters.page} onChange={(page) => setFilters((f) => ({ ...f, page }))} />
        )}
      </Paper>
      {open && <IncidentFormModal incidentId={open} onClose={() => setOpen(null)} />}
    </Stack>
  );
}
