import { Box, Button, Paper, ScrollArea, Stack, Table, Text, Title, UnstyledButton, VisuallyHidden } from '@mantine/core';
import type { DateTime } from 'luxon';
import { useTranslation } from 'react-i18next';
import { DAY_FIRST_HOUR, DAY_LAST_HOUR, onDay, placeOnDay, type PlanningView, timeSpan } from './planning';
import type { Booking, Resource } from './types';
import './rooms.css';

interface Props {
  resources: Resource[];
  bookings: Booking[];
  days: DateTime[];
  view: PlanningView;
  zone: string;
  onOpen(booking: Booking): void;
}

const HOURS = Array.from({ length: DAY_LAST_HOUR - DAY_FIRST_HOUR }, (_, i) => DAY_FIRST_HOUR + i);

/** Bookings per room and equipment item: an hour line for one day, a column per day for a week. */
export function PlanningGrid({ resources, bookings, days, view, zone, onOpen }: Props) {
  const { t, i18n } = useTranslation();
  const label = (b: Booking) =>
    t('rooms.bookingLabel', { time: timeSpan(b.startsAt, b.endsAt, zone, i18n.language), title: b.title, organiser: b.organiserName ?? t('rooms.noOrganiser') });
  const rowHeader = (r: Resource) => (
    <Table.Th scope="row" miw={180}>
      <Text fw={600} size="sm">
        {r.name}
      </Text>
      <Text size="xs" c="dimmed">
        {r.kind === 'room' ? t('rooms.seats', { count: r.capacity ?? 0 }) : t('rooms.kind.equipment')}
      </Text>
    </Table.Th>
  );

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="planning-title">
      <Title order={2} size="h4" id="planning-title" mb="xs">
        {view === 'day'
          ? t('rooms.planningOfDay', { date: days[0].setLocale(i18n.language).toLocaleString({ weekday: 'long', day: 'numeric', month: 'long' }) })
          : t('rooms.planningOfWeek', { date: days[0].setLocale(i18n.language).toLocaleString({ day: 'numeric', month: 'long' }) })}
      </Title>
      {resources.length === 0 ? (
        <Text c="dimmed">{t('rooms.noResources')}</Text>
      ) : (
        <ScrollArea>
          <Table withColumnBorders layout="fixed" miw={view === 'day' ? 900 : 1000}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={200}>{t('rooms.resource')}</Table.Th>
                {view === 'day' ? (
                  <Table.Th>
                    <Box pos="relative" h={20} aria-hidden>
                      {HOURS.map((h, i) => (
                        <Text key={h} size="xs" pos="absolute" left={`${(i / HOURS.length) * 100}%`}>
                          {String(h).padStart(2, '0')}h
                        </Text>
                      ))}
                    </Box>
                    <VisuallyHidden>{t('rooms.hoursFromTo', { from: DAY_FIRST_HOUR, to: DAY_LAST_HOUR })}</VisuallyHidden>
                  </Table.Th>
                ) : (
                  days.map((d) => (
                    <Table.Th key={d.toISODate()}>{d.setLocale(i18n.language).toLocaleString({ weekday: 'short', day: 'numeric', month: 'short' })}</Table.Th>
                  ))
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {resources.map((r) => {
                const own = bookings.filter((b) => b.resourceId === r.id);
                return (
                  <Table.Tr key={r.id} data-testid={`planning-row-${r.id}`}>
                    {rowHeader(r)}
                    {view === 'day' ? (
                      <Table.Td p={0}>
                        <Box pos="relative" h={56} className="rooms-day-line">
                          {own.map((b) => {
                            const place = placeOnDay(b.startsAt, b.endsAt, days[0]);
                            if (!place) return null;
                            return (
                              <UnstyledButton
                                key={b.id}
                                className="rooms-booking"
                                pos="absolute"
                                top={4}
                                bottom={4}
                                left={`${place.left}%`}
                                w={`${place.width}%`}
                                onClick={() => onOpen(b)}
                                aria-label={label(b)}
                                title={label(b)}
                              >
                                <Text size="xs" fw={600} truncate>
                                  {timeSpan(b.startsAt, b.endsAt, zone, i18n.language)}
                                </Text>
                                <Text size="xs" truncate>
                                  {b.title}
                                </Text>
                              </UnstyledButton>
                            );
                          })}
                        </Box>
                      </Table.Td>
                    ) : (
                      days.map((d) => (
                        <Table.Td key={d.toISODate()} valign="top">
                          <Stack gap={4}>
                            {own
                              .filter((b) => onDay(b.startsAt, b.endsAt, d))
                              .map((b) => (
                                <Button key={b.id} size="compact-xs" variant="light" color="blue.9" onClick={() => onOpen(b)} aria-label={label(b)} title={label(b)}>
                                  <Text size="xs" truncate>
                                    {timeSpan(b.startsAt, b.endsAt, zone, i18n.language)} {b.title}
                                  </Text>
                                </Button>
                              ))}
                          </Stack>
                        </Table.Td>
                      ))
                    )}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
    </Paper>
  );
}
