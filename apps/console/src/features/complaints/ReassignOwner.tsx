import { Button, Group, Modal, NativeSelect, Stack, Text } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { useAuth } from '../auth/useAuth';
import type { Complaint } from './types';
import { complaintsApi, useColleagues, useComplaintWrite } from './useComplaints';

/** Who handles the complaint (and gets its SLA warnings), and the dialog to hand it to a colleague of the site. */
export function OwnerLine({ complaint }: { complaint: Complaint }) {
  const { t } = useTranslation();
  const colleagues = useColleagues(complaint.siteId);
  const [open, setOpen] = useState(false);
  const owner = colleagues.data?.find((u) => u.id === complaint.ownerUserId);
  const ownerName = !complaint.ownerUserId
    ? t('complaints.owner.none')
    : (owner?.displayName ?? (colleagues.isPending ? '…' : t('complaints.owner.inactive')));

  return (
    <Group gap="xs">
      <Text size="sm">
        <strong>{t('complaints.owner.label')} :</strong> {ownerName}
      </Text>
      <Button size="compact-sm" variant="default" onClick={() => setOpen(true)}>
        {t('complaints.owner.reassign')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('complaints.owner.title')} closeButtonProps={{ 'aria-label': t('complaints.close') }}>
        {open && <ReassignForm complaint={complaint} onClose={() => setOpen(false)} />}
      </Modal>
    </Group>
  );
}

function ReassignForm({ complaint, onClose }: { complaint: Complaint; onClose(): void }) {
  const { t } = useTranslation();
  const { user } = useAuth();
  const colleagues = useColleagues(complaint.siteId);
  const [ownerUserId, setOwnerUserId] = useState(complaint.ownerUserId ?? '');
  const save = useComplaintWrite((id: string) => complaintsApi.update(complaint.id, complaint.version, { ownerUserId: id }));
  const users = colleagues.data ?? [];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(ownerUserId, { onSuccess: onClose });
  };

  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <Text size="sm">{t('complaints.owner.help')}</Text>
        <NativeSelect
          label={t('complaints.owner.user')}
          value={ownerUserId}
          onChange={(e) => setOwnerUserId(e.currentTarget.value)}
          data={[
            { value: '', label: t('complaints.owner.choose'), disabled: true },
            ...users.map((u) => ({ value: u.id, label: u.id === user?.id ? t('complaints.owner.me', { name: u.displayName }) : u.displayName })),
          ]}
          required
        />
        <ProblemAlert error={save.error ?? colleagues.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('complaints.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!ownerUserId || ownerUserId === complaint.ownerUserId}>
            {t('complaints.owner.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
