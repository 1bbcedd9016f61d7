import { Button, CopyButton, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../shared/ProblemAlert';
import type { Resource } from './types';
import { useRotateCalendarLink } from './useRooms';

/**
 * Supervisors give a room's planning to calendar apps (Outlook, Thunderbird, phones) as a secret
 * iCalendar link. Only its hash is stored, so the link is shown once; renewing it revokes the old one.
 */
export function CalendarLinkButton({ resource }: { resource: Resource }) {
  const { t } = useTranslation();
  const rotate = useRotateCalendarLink();
  const label = resource.calendarFeed ? t('rooms.calendarRenew', { name: resource.name }) : t('rooms.calendarCreate', { name: resource.name });
  return (
    <>
      <Button size="compact-sm" variant="default" onClick={() => rotate.mutate(resource.id)} loading={rotate.isPending} aria-label={label}>
        {resource.calendarFeed ? t('rooms.calendarRenewShort') : t('rooms.calendarCreateShort')}
      </Button>
      <Modal opened={!!rotate.data || !!rotate.error} onClose={() => rotate.reset()} title={t('rooms.calendarTitle', { name: resource.name })} closeButtonProps={{ 'aria-label': t('rooms.close') }}>
        {rotate.error ? (
          <ProblemAlert error={rotate.error} />
        ) : (
          <Stack gap="sm">
            <Text size="sm">{t('rooms.calendarHelp')}</Text>
            <TextInput label={t('rooms.calendarUrl')} readOnly value={rotate.data?.url ?? ''} onFocus={(e) => e.currentTarget.select()} />
            <Group justify="flex-end">
              <CopyButton value={rotate.data?.url ?? ''}>
                {({ copied, copy }) => <Button onClick={copy}>{copied ? t('rooms.copied') : t('rooms.copy')}</Button>}
              </CopyButton>
            </Group>
          </Stack>
        )}
      </Modal>
    </>
  );
}
