import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { DateTime } from 'luxon';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { localInstant } from './planning';
import { RoomsProblem } from './RoomsProblem';
import type { BookingDetail } from './types';
import { useMoveBooking } from './useRooms';

/** Moves a booking to another date or time of the same room; its equipment follows. */
export function MoveBookingForm({ booking, zone, onMoved }: { booking: BookingDetail; zone: string; onMoved(): void }) {
  const { t } = useTranslation();
  const startLocal = DateTime.fromISO(booking.startsAt, { zone });
  const endLocal = DateTime.fromISO(booking.endsAt, { zone });
  const [date, setDate] = useState(startLocal.toISODate() as string);
  const [start, setStart] = useState(startLocal.toFormat('HH:mm'));
  const [end, setEnd] = useState(endLocal.toFormat('HH:mm'));
  const move = useMoveBooking();
  const from = localInstant(date, start, zone);
  const to = localInstant(date, end, zone);
  const valid = !!from && !!to && new Date(to) > new Date(from);
  const names = new Map([[booking.resourceId, booking.resourceName], ...booking.equipment.map((e) => [e.resourceId, e.resourceName] as [string, string])]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!from || !to) return;
    move.mutate({ booking, startsAt: from, endsAt: to }, { onSuccess: onMoved });
  };

  return (
    <form onSubmit={submit} aria-labelledby="move-title">
      <Stack gap="xs">
        <Text fw={600} size="sm" id="move-title">
          {t('rooms.move')}
        </Text>
        <Group grow align="flex-start">
          <TextInput type="date" label={t('rooms.fields.date')} required value={date} onChange={(e) => setDate(e.currentTarget.value)} />
          <TextInput type="time" label={t('rooms.fields.start')} required value={start} onChange={(e) => setStart(e.currentTarget.value)} />
          <TextInput
            type="time"
            label={t('rooms.fields.end')}
            required
            value={end}
            onChange={(e) => setEnd(e.currentTarget.value)}
            error={from && to && !valid ? t('rooms.endAfterStart') : undefined}
          />
        </Group>
        {move.error && <RoomsProblem error={move.error} names={names} />}
        <Group justify="flex-end">
          <Button type="submit" variant="light" loading={move.isPending} disabled={!valid}>
            {t('rooms.moveBooking')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
