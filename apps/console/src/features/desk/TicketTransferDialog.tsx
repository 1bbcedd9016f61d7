import { Button, Group, Modal, Select, Stack, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../../api/types';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { useQueues } from './useFlowData';

interface Props {
  opened: boolean;
  onClose(): void;
  siteId: string;
  ticket: Ticket;
  submit(queueId: string, reason: string): void;
  pending: boolean;
  error: unknown;
}

/** Sends the visitor to another queue of the site; they keep their number and arrival time. */
export function TicketTransferDialog({ opened, onClose, siteId, ticket, submit, pending, error }: Props) {
  const { t } = useTranslation();
  const queues = (useQueues(siteId).data ?? []).filter((q) => q.active && q.id !== ticket.queueId);
  const [queueId, setQueueId] = useState<string | null>(null);
  const [reason, setReason] = useState('');

  return (
    <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={opened} onClose={onClose} title={t('desk.transferTicket.title', { number: ticket.number })}>
      <Stack>
        <Select
          label={t('desk.transferTicket.queue')}
          data={queues.map((q) => ({ value: q.id, label: q.name }))}
          value={queueId}
          onChange={setQueueId}
          required
          comboboxProps={{ withinPortal: false }}
        />
        <Textarea label={t('desk.transferTicket.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} required autosize minRows={2} />
        <ProblemAlert error={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button disabled={!queueId || !reason.trim()} loading={pending} onClick={() => queueId && submit(queueId, reason.trim())}>
            {t('desk.transferTicket.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
