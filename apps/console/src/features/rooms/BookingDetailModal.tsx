import { Badge, Button, Divider, Group, List, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageLoader } from '../../shared/PageLoader';
import { MoveBookingForm } from './MoveBookingForm';
import { timeSpan } from './planning';
import { RoomsProblem } from './RoomsProblem';
import { useBookingDetail, useCancelBooking } from './useRooms';

/** A booking with its equipment, catering and linked service orders; its organiser (or a supervisor) may cancel it. */
export function BookingDetailModal({ bookingId, zone, onClose }: { bookingId: string | null; zone: string; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const detail = useBookingDetail(bookingId);
  const cancel = useCancelBooking();
  const [reason, setReason] = useState('');
  const booking = detail.data;
  const close = () => {
    cancel.reset();
    setReason('');
    onClose();
  };
  const when = booking
    ? `${new Date(booking.startsAt).toLocaleDateString(i18n.language, { timeZone: zone, weekday: 'long', day: 'numeric', month: 'long' })}, ${timeSpan(booking.startsAt, booking.endsAt, zone, i18n.language)}`
    : '';

  return (
    <Modal opened={!!bookingId} onClose={close} title={booking?.title ?? t('rooms.booking')} size="lg" closeButtonProps={{ 'aria-label': t('rooms.close') }}>
      {!booking ? (
        <PageLoader />
      ) : (
        <Stack gap="sm">
          <Group gap="xs">
            <Badge color={booking.status === 'confirmed' ? 'teal.9' : 'gray.7'}>{t(`rooms.status.${booking.status}`)}</Badge>
            <Text fw={600}>{booking.resourceName}</Text>
          </Group>
          <Text>{when}</Text>
          <Text size="sm">{t('rooms.organisedBy', { name: booking.organiserName ?? t('rooms.noOrganiser') })}</Text>
          {booking.attendees && <Text size="sm">{t('rooms.attendeesCount', { count: booking.attendees })}</Text>}
          {booking.equipment.length > 0 && (
            <div>
              <Text fw={600} size="sm">
                {t('rooms.fields.equipment')}
              </Text>
              <List size="sm">
                {booking.equipment.map((e) => (
                  <List.Item key={e.id}>
                    {e.resourceName} — {t(`rooms.status.${e.status}`)}
                  </List.Item>
                ))}
              </List>
            </div>
          )}
          {booking.catering && (
            <Text size="sm">
              {t('rooms.cateringSummary', { count: booking.catering.headcount ?? 0 })}
              {booking.catering.notes ? ` — ${booking.catering.notes}` : ''}
            </Text>
          )}
          {booking.serviceOrders.length > 0 && (
            <div>
              <Text fw={600} size="sm">
                {t('rooms.serviceOrders')}
              </Text>
              <List size="sm">
                {booking.serviceOrders.map((o) => (
                  <List.Item key={o.id}>
                    {o.title} — {o.status}
                  </List.Item>
                ))}
              </List>
            </div>
          )}
          {booking.notes && <Text size="sm">{booking.notes}</Text>}
          {cancel.error && <RoomsProblem error={cancel.error} names={new Map([[booking.resourceId, booking.resourceName]])} />}
          {booking.status === 'confirmed' && new Date(booking.endsAt) > new Date() && (
            <>
              <Divider />
              <MoveBookingForm key={`${booking.id}-${booking.version}`} booking={booking} zone={zone} onMoved={close} />
              <Divider />
            </>
          )}
          {booking.status === 'confirmed' && new Date(booking.endsAt) > new Date() && (
            <Group align="flex-end">
              <TextInput label={t('rooms.cancelReason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={500} style={{ flex: 1 }} />
              <Button color="red.9" loading={cancel.isPending} onClick={() => cancel.mutate({ booking, reason: reason.trim() || undefined }, { onSuccess: close })}>
                {t('rooms.cancelBooking')}
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </Modal>
  );
}
