import { Alert, Badge, Button, Group, Paper, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { DateTime } from 'luxon';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSite } from '../../app/useSite';
import { hasRole, useAuth } from '../auth/useAuth';
import { useLiveSite } from '../../live/useLiveSite';
import { PageLoader } from '../../shared/PageLoader';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { BookingDetailModal } from './BookingDetailModal';
import { BookingModal } from './BookingModal';
import { CalendarLinkButton } from './CalendarLinkButton';
import { planningDays, planningRange, type PlanningView, shiftAnchor, todayIn } from './planning';
import { PlanningGrid } from './PlanningGrid';
import { ROOMS_KEY, useBookings, useResources } from './useRooms';

const USER_LIVE = { kind: 'user' } as const;

/** Rooms and equipment of the site: the planning of a day or a week, booking and cancelling (C2.2). */
export function RoomsPage() {
  const { t, i18n } = useTranslation();
  const { siteId, sites } = useSite();
  const { user } = useAuth();
  const supervises = hasRole(user, 'supervisor');
  const zone = sites.find((s) => s.id === siteId)?.timeZone ?? 'Europe/Paris';
  const [view, setView] = useState<PlanningView>('day');
  const [anchor, setAnchor] = useState(() => todayIn(zone));
  const [booking, setBooking] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const queryClient = useQueryClient();

  // Another agent booked or cancelled: re-read the planning (events carry ids only).
  const onLive = useCallback(
    (name: string) => {
      if (name.startsWith('booking.') || name === 'resource.changed') void queryClient.invalidateQueries({ queryKey: [ROOMS_KEY] });
    },
    [queryClient],
  );
  const live = useLiveSite(siteId, USER_LIVE, onLive);

  const days = useMemo(() => planningDays(anchor, view, zone), [anchor, view, zone]);
  const range = planningRange(days);
  const resources = useResources(siteId);
  const bookings = useBookings(siteId, range.from, range.to);
  const active = (resources.data ?? []).filter((r) => r.active);

  if (!siteId) return <Alert color="yellow">{t('desk.noSite')}</Alert>;

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('rooms.title')}
        </Title>
        <Group gap="xs">
          <Badge color={live.connected ? 'teal.9' : 'red.9'}>{live.connected ? t('live.online') : t('live.offline')}</Badge>
          <Button onClick={() => setBooking(true)}>{t('rooms.book')}</Button>
        </Group>
      </Group>

      <Group gap="xs" component="nav" aria-label={t('rooms.periodNav')}>
        <SegmentedControl
          aria-label={t('rooms.view')}
          value={view}
          onChange={(v) => setView(v as PlanningView)}
          data={[
            { value: 'day', label: t('rooms.day') },
            { value: 'week', label: t('rooms.week') },
          ]}
        />
        <Button variant="default" onClick={() => setAnchor(shiftAnchor(anchor, view, -1, zone))}>
          {view === 'day' ? t('rooms.previousDay') : t('rooms.previousWeek')}
        </Button>
        <Button variant="default" onClick={() => setAnchor(todayIn(zone))}>
          {t('rooms.today')}
        </Button>
        <Button variant="default" onClick={() => setAnchor(shiftAnchor(anchor, view, 1, zone))}>
          {view === 'day' ? t('rooms.nextDay') : t('rooms.nextWeek')}
        </Button>
      </Group>

      {resources.error && <ProblemAlert error={resources.error} />}
      {bookings.error && <ProblemAlert error={bookings.error} />}
      {resources.isPending ? (
        <PageLoader />
      ) : (
        <PlanningGrid resources={active} bookings={bookings.data ?? []} days={days} view={view} zone={zone} onOpen={(b) => setOpenId(b.parentBookingId ?? b.id)} />
      )}

      <Paper withBorder p="md" component="section" aria-labelledby="resources-title">
        <Title order={2} size="h4" id="resources-title" mb="xs">
          {t('rooms.resources')}
        </Title>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('rooms.resource')}</Table.Th>
              <Table.Th>{t('rooms.kindLabel')}</Table.Th>
              <Table.Th ta="right">{t('rooms.capacity')}</Table.Th>
              <Table.Th>{t('rooms.features')}</Table.Th>
              <Table.Th>{t('rooms.location')}</Table.Th>
              {supervises && <Table.Th>{t('rooms.calendar')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(resources.data ?? []).map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>
                  {r.name}
                  {!r.active && (
                    <Badge ml="xs" color="gray.7" variant="outline">
                      {t('rooms.inactive')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{t(`rooms.kind.${r.kind}`)}</Table.Td>
                <Table.Td ta="right">{r.capacity ?? '—'}</Table.Td>
                <Table.Td>{r.equipment.join(', ') || '—'}</Table.Td>
                <Table.Td>{r.location ?? '—'}</Table.Td>
                {supervises && (
                  <Table.Td>
                    <CalendarLinkButton resource={r} />
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="xs" c="dimmed" mt="xs">
          {t('rooms.timesIn', { zone, now: DateTime.now().setZone(zone).setLocale(i18n.language).toLocaleString(DateTime.TIME_SIMPLE) })}
        </Text>
      </Paper>

      <BookingModal opened={booking} onClose={() => setBooking(false)} siteId={siteId} zone={zone} defaultDate={anchor} />
      <BookingDetailModal bookingId={openId} zone={zone} onClose={() => setOpenId(null)} />
    </Stack>
  );
}
