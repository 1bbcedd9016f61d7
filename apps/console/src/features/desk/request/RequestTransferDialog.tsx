import { Button, Group, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type RequestRecord, type Suggestion, TRANSFER_MODES, type TransferMode } from '../../../api/types';
import { ProblemAlert } from '../../../shared/ProblemAlert';
import { useTransferRequest } from './useRequests';

interface Props {
  request: RequestRecord;
  target: Suggestion;
  onClose(): void;
  onDone(request: RequestRecord): void;
}

/** Records the orientation: to whom, how (mode), why, and a hand-over note for the receiver. */
export function RequestTransferDialog({ request, target, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const transfer = useTransferRequest();
  const [mode, setMode] = useState<TransferMode>(target.type === 'partner' ? 'referral_letter' : 'accompanied');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');

  const submit = () =>
    transfer.mutate(
      { request, input: { targetType: target.type, targetId: target.id, mode, reason: reason.trim(), note: note.trim() || null } },
      { onSuccess: (result) => onDone(result.request) },
    );

  return (
    <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened onClose={onClose} title={t('orientation.dialogTitle')}>
      <Stack>
        <Text>
          {t(`targetType.${target.type}`)} : <strong>{target.name}</strong>
        </Text>
        <Select
          label={t('orientation.mode')}
          value={mode}
          onChange={(v) => v && setMode(v as TransferMode)}
          allowDeselect={false}
          data={TRANSFER_MODES.map((m) => ({ value: m, label: t(`transferMode.${m}`) }))}
          comboboxProps={{ withinPortal: false }}
        />
        <Textarea label={t('orientation.reason')} required value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={2} />
        <Textarea label={t('orientation.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={2} />
        <ProblemAlert error={transfer.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={submit} disabled={!reason.trim()} loading={transfer.isPending}>
            {t('orientation.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
