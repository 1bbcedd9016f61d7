import { Alert, Badge, Button, Checkbox, Grid, Group, NativeSelect, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { DateTime } from 'luxon';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useSite } from '../../app/useSite';
import { useLiveSite } from '../../live/useLiveSite';
import { hasRole, useAuth } from '../auth/useAuth';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { PROVIDERS_KEY } from '../providers/useProviders';
import { ORDER_TYPES } from '../providers/types';
import { ApprovalSettingsPanel } from './ApprovalSettingsPanel';
import { NewOrderForm } from './NewOrderForm';
import { OrderDetailPanel } from './OrderDetailPanel';
import { ORDER_STATUSES, type OrderFilters } from './types';
import { ORDERS_KEY, useServiceOrders } from './useServiceOrders';

const USER_LIVE = { kind: 'user' } as const;

/** A money amount in cents, in the interface language. */
export function money(cents: number, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(cents / 100);
}

/** A short local date and time in the site's zone. */
export function when(iso: string | null, zone: string, locale: string): string {
  if (!iso) return '—';
  return DateTime.fromISO(iso).setZone(zone).setLocale(locale).toLocaleString({ day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** Service orders of the site (C2.2): list with filters, a new order with its lines, and the selected order. */
export function ServiceOrdersPage() {
  const { t, i18n } = useTranslation();
  const { siteId, sites } = useSite();
  const zone = sites.find((s) => s.id === siteId)?.timeZone ?? 'Europe/Paris';
  const { orderId } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState<OrderFilters>({ status: '', type: '', late: false, mine: false });
  const [creating, setCreating] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const { user } = useAuth();
  const [notices, setNotices] = useState<{ orderId: string; kind: 'reminder' | 'escalated' }[]>([]);
  const orders = useServiceOrders(siteId, filters);

  // Events carry ids only: re-read; reminders (mine) and escalations (supervisors) stay on screen.
  const onLive = useCallback(
    (name: string, message: unknown) => {
      if (!name.startsWith('service_order.')) return;
      void queryClient.invalidateQueries({ queryKey: [ORDERS_KEY] });
      if (name === 'service_order.rated') void queryClient.invalidateQueries({ queryKey: [PROVIDERS_KEY] });
      if (name === 'service_order.reminder' || name === 'service_order.escalated') {
        const id = (message as { orderId: string }).orderId;
        setNotices((list) => [...list, { orderId: id, kind: name === 'service_order.reminder' ? 'reminder' : 'escalated' }]);
      }
    },
    [queryClient],
  );
  const live = useLiveSite(siteId, USER_LIVE, onLive);

  if (!siteId) return <Alert color="yellow">{t('desk.noSite')}</Alert>;
  const items = orders.data?.items ?? [];

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('provisions.orders.title')}
        </Title>
        <Group>
          <Badge color={live.connected ? 'teal.9' : 'red.9'}>{live.connected ? t('live.online') : t('live.offline')}</Badge>
          {hasRole(user, 'supervisor') && (
            <Button variant="default" onClick={() => setSettingsOpen((v) => !v)} aria-expanded={settingsOpen}>
              {t('provisions.settings.title')}
            </Button>
          )}
          <Button onClick={() => setCreating((v) => !v)} aria-expanded={creating}>
            {t('provisions.orders.new')}
          </Button>
        </Group>
      </Group>
      <div role="status" aria-live="polite">
        {notices.map((n, i) => (
          <Alert
            key={`${n.orderId}-${n.kind}-${i}`}
            color="yellow"
            withCloseButton
            closeButtonLabel={t('common.close')}
            onClose={() => setNotices((list) => list.filter((_, j) => j !== i))}
          >
            <Text size="sm" fw={700}>
              {t(`provisions.orders.notice.${n.kind}`)}
            </Text>
            <Button variant="subtle" size="compact-sm" onClick={() => navigate(`/service-orders/${n.orderId}`)}>
              {t('provisions.orders.open')}
            </Button>
          </Alert>
        ))}
      </div>
      {settingsOpen && hasRole(user, 'supervisor') && <ApprovalSettingsPanel siteId={siteId} />}
      {creating && (
        <NewOrderForm
          siteId={siteId}
          zone={zone}
          onCreated={(id) => {
            setCreating(false);
            navigate(`/service-orders/${id}`);
          }}
        />
      )}
      <Paper withBorder p="sm" component="section" aria-labelledby="orders-filters">
        <Title order={2} size="h4" id="orders-filters" mb="xs">
          {t('provisions.orders.filters')}
        </Title>
        <Group align="end">
          <NativeSelect
            label={t('provisions.orders.status')}
            value={filters.status}
            onChange={(e) => setFilters({ ...filters, status: e.currentTarget.value as OrderFilters['status'] })}
            data={[{ value: '', label: t('provisions.orders.all') }, ...ORDER_STATUSES.map((s) => ({ value: s, label: t(`provisions.status.${s}`) }))]}
          />
          <NativeSelect
            label={t('provisions.orders.type')}
            value={filters.type}
            onChange={(e) => setFilters({ ...filters, type: e.currentTarget.value as OrderFilters['type'] })}
            data={[{ value: '', label: t('provisions.orders.all') }, ...ORDER_TYPES.map((s) => ({ value: s, label: t(`provisions.type.${s}`) }))]}
          />
          <Checkbox label={t('provisions.orders.lateOnly')} checked={filters.late} onChange={(e) => setFilters({ ...filters, late: e.currentTarget.checked })} />
          <Checkbox label={t('provisions.orders.mineOnly')} checked={filters.mine} onChange={(e) => setFilters({ ...filters, mine: e.currentTarget.checked })} />
        </Group>
      </Paper>
      {orders.error && <ProblemAlert error={orders.error} />}
      <Grid gap="sm">
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Paper withBorder p="sm" component="section" aria-labelledby="orders-list">
            <Title order={2} size="h4" id="orders-list" mb="xs">
              {t('provisions.orders.list', { count: orders.data?.total ?? 0 })}
            </Title>
            {items.length === 0 && <Text size="sm">{t('provisions.orders.none')}</Text>}
            {items.length > 0 && (
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('provisions.orders.order')}</Table.Th>
                    <Table.Th>{t('provisions.orders.provider')}</Table.Th>
                    <Table.Th>{t('provisions.orders.status')}</Table.Th>
                    <Table.Th>{t('provisions.orders.total')}</Table.Th>
                    <Table.Th>{t('provisions.orders.due')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((o) => (
                    <Table.Tr key={o.id} aria-selected={o.id === orderId}>
                      <Table.Td>
                        <Button variant={o.id === orderId ? 'light' : 'subtle'} size="compact-sm" onClick={() => navigate(`/service-orders/${o.id}`)}>
                          {t('provisions.orders.numbered', { number: o.number, title: o.title })}
                        </Button>
                        <Text size="xs">{t(`provisions.type.${o.type}`)}</Text>
                      </Table.Td>
                      <Table.Td>{o.providerName}</Table.Td>
                      <Table.Td>
                        <Badge variant="outline" color="dark">
                          {t(`provisions.status.${o.status}`)}
                        </Badge>
                        {o.late && (
                          <Text size="xs" fw={700} c="red.9">
                            {t('provisions.orders.late')}
                          </Text>
                        )}
                        {o.approvalPending && <Text size="xs">{t('provisions.orders.awaitingApproval')}</Text>}
                      </Table.Td>
                      <Table.Td>{money(o.totalCents, o.currency, i18n.language)}</Table.Td>
                      <Table.Td>{when(o.dueAt ?? o.neededBy, zone, i18n.language)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          {orderId ? <OrderDetailPanel orderId={orderId} zone={zone} /> : <Text size="sm">{t('provisions.orders.pick')}</Text>}
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
