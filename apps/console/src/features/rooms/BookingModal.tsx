import { Button, Checkbox, Group, Modal, NativeSelect, NumberInput, Stack, Switch, Text, Textarea, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { localInstant } from './planning';
import { RoomsProblem } from './RoomsProblem';
import { useAvailability, useBookRoom } from './useRooms';

interface Props {
  opened: boolean;
  onClose(): void;
  siteId: string;
  zone: string;
  /** Local day offered first (YYYY-MM-DD). */
  defaultDate: string;
}

/**
 * "Organiser une réunion": a room for a period, with equipment and catering, in one booking. The
 * rooms and equipment offered come with their availability over the chosen period; the server
 * still decides (a concurrent booking gets a 409 naming the resource).
 */
export function BookingModal({ opened, onClose, siteId, zone, defaultDate }: Props) {
  const { t } = useTranslation();
  const [date, setDate] = useState(defaultDate);
  const [start, setStart] = useState('09:00');
  const [end, setEnd] = useState('10:00');
  const [title, setTitle] = useState('');
  const [attendees, setAttendees] = useState<number | ''>('');
  const [roomId, setRoomId] = useState('');
  const [equipmentIds, setEquipmentIds] = useState<string[]>([]);
  const [catering, setCatering] = useState(false);
  const [headcount, setHeadcount] = useState<number | ''>('');
  const [cateringNotes, setCateringNotes] = useState('');
  const book = useBookRoom();

  useEffect(() => {
    if (opened) setDate(defaultDate);
  }, [opened, defaultDate]);

  const from = localInstant(date, start, zone);
  const to = localInstant(date, end, zone);
  const periodValid = !!from && !!to && new Date(to) > new Date(from);
  const availability = useAvailability(siteId, periodValid ? from : null, periodValid ? to : null);
  const items = useMemo(() => availability.data?.items ?? [], [availability.data]);
  const rooms = items.filter((i) => i.resource.kind === 'room');
  const equipment = items.filter((i) => i.resource.kind === 'equipment');
  const fits = (capacity: number | null) => attendees === '' || capacity === null || capacity >= attendees;

  const names = useMemo(() => new Map(items.map((i) => [i.resource.id, i.resource.name])), [items]);

  const reset = () => {
    setTitle('');
    setAttendees('');
    setRoomId('');
    setEquipmentIds([]);
    setCatering(false);
    setHeadcount('');
    setCateringNotes('');
    book.reset();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!from || !to || !roomId) return;
    book.mutate(
      {
        resourceId: roomId,
        startsAt: from,
        endsAt: to,
        title,
        attendees: attendees === '' ? null : attendees,
        equipmentIds,
        catering: catering ? { headcount: headcount === '' ? null : headcount, notes: cateringNotes.trim() || null } : null,
      },
      {
        onSuccess: () => {
          reset();
          onClose();
        },
      },
    );
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('rooms.bookTitle')} size="lg" closeButtonProps={{ 'aria-label': t('rooms.close') }}>
      <form onSubmit={submit} aria-label={t('rooms.bookTitle')}>
        <Stack gap="sm">
          <TextInput label={t('rooms.fields.title')} required value={title} onChange={(e) => setTitle(e.currentTarget.value)} maxLength={200} />
          <Group grow>
            <TextInput type="date" label={t('rooms.fields.date')} required value={date} onChange={(e) => setDate(e.currentTarget.value)} />
            <TextInput type="time" label={t('rooms.fields.start')} required value={start} onChange={(e) => setStart(e.currentTarget.value)} />
            <TextInput
              type="time"
              label={t('rooms.fields.end')}
              required
              value={end}
              onChange={(e) => setEnd(e.currentTarget.value)}
              error={from && to && !periodValid ? t('rooms.endAfterStart') : undefined}
            />
          </Group>
          <NumberInput
            label={t('rooms.fields.attendees')}
            min={1}
            max={10000}
            allowDecimal={false}
            value={attendees}
            onChange={(v) => setAttendees(typeof v === 'number' ? v : '')}
          />
          <NativeSelect
            label={t('rooms.fields.room')}
            required
            value={roomId}
            onChange={(e) => setRoomId(e.currentTarget.value)}
            description={periodValid ? t('rooms.roomHint') : t('rooms.choosePeriodFirst')}
            data={[
              { value: '', label: t('rooms.chooseRoom') },
              ...rooms.map((i) => ({
                value: i.resource.id,
                label: t(i.free ? 'rooms.roomOptionFree' : 'rooms.roomOptionBusy', { name: i.resource.name, count: i.resource.capacity ?? 0 }),
                disabled: !i.free || !fits(i.resource.capacity),
              })),
            ]}
          />
          {equipment.length > 0 && (
            <Checkbox.Group label={t('rooms.fields.equipment')} value={equipmentIds} onChange={setEquipmentIds}>
              <Stack gap={4} mt={4}>
                {equipment.map((i) => (
                  <Checkbox
                    key={i.resource.id}
                    value={i.resource.id}
                    disabled={!i.free && !equipmentIds.includes(i.resource.id)}
                    label={i.free ? i.resource.name : t('rooms.equipmentBusy', { name: i.resource.name })}
                  />
                ))}
              </Stack>
            </Checkbox.Group>
          )}
          <Switch label={t('rooms.fields.catering')} checked={catering} onChange={(e) => setCatering(e.currentTarget.checked)} />
          {catering && (
            <Group grow align="flex-start">
              <NumberInput
                label={t('rooms.fields.headcount')}
                min={1}
                max={10000}
                allowDecimal={false}
                value={headcount}
                onChange={(v) => setHeadcount(typeof v === 'number' ? v : '')}
              />
              <Textarea label={t('rooms.fields.cateringNotes')} autosize minRows={2} value={cateringNotes} onChange={(e) => setCateringNotes(e.currentTarget.value)} />
            </Group>
          )}
          {book.error && <RoomsProblem error={book.error} names={names} />}
          {availability.isError && <Text c="red.9">{t('rooms.availabilityFailed')}</Text>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('rooms.close')}
            </Button>
            <Button type="submit" loading={book.isPending} disabled={!periodValid || !roomId || !title.trim()}>
              {t('rooms.confirmBooking')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
