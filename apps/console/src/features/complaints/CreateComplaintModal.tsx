import { Button, Group, Modal, NativeSelect, Stack, Textarea, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { SEVERITIES, type ComplaintCategory } from './types';
import { complaintsApi, useComplaintWrite } from './useComplaints';

const FORM_CHANNELS = ['desk', 'phone', 'email', 'web'] as const;

interface Props {
  opened: boolean;
  onClose(): void;
  onCreated(id: string): void;
  siteId: string;
  categories: ComplaintCategory[];
}

/** "Recueillir la réclamation": from the desk, the phone, an e-mail or the web form. */
export function CreateComplaintModal({ opened, onClose, onCreated, siteId, categories }: Props) {
  const { t } = useTranslation();
  const active = categories.filter((c) => c.active);
  const [channel, setChannel] = useState<string>('desk');
  const [categoryId, setCategoryId] = useState('');
  const [severity, setSeverity] = useState('medium');
  const [reason, setReason] = useState('');
  const [description, setDescription] = useState('');
  const [remedy, setRemedy] = useState('');
  const create = useComplaintWrite(complaintsApi.create);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { siteId, channel, categoryId: categoryId || active[0]?.id, severity, reason, description, requestedRemedy: remedy || null },
      {
        onSuccess: (created) => {
          setReason('');
          setDescription('');
          setRemedy('');
          create.reset();
          onCreated((created as { id: string }).id);
        },
      },
    );
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('complaints.create.title')} size="lg" closeButtonProps={{ 'aria-label': t('complaints.close') }}>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Group grow>
            <NativeSelect
              label={t('complaints.fields.channel')}
              value={channel}
              onChange={(e) => setChannel(e.currentTarget.value)}
              data={FORM_CHANNELS.map((c) => ({ value: c, label: t(`complaints.channel.${c}`) }))}
            />
            <NativeSelect
              label={t('complaints.fields.category')}
              value={categoryId || active[0]?.id || ''}
              onChange={(e) => setCategoryId(e.currentTarget.value)}
              data={active.map((c) => ({ value: c.id, label: c.name }))}
              required
            />
            <NativeSelect
              label={t('complaints.fields.severity')}
              value={severity}
              onChange={(e) => setSeverity(e.currentTarget.value)}
              data={SEVERITIES.map((s) => ({ value: s, label: t(`complaints.severity.${s}`) }))}
            />
          </Group>
          <TextInput label={t('complaints.fields.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} required maxLength={300} />
          <Textarea
            label={t('complaints.fields.description')}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            required
            autosize
            minRows={3}
          />
          <Textarea label={t('complaints.fields.requestedRemedy')} value={remedy} onChange={(e) => setRemedy(e.currentTarget.value)} autosize />
          {create.error && <ProblemAlert error={create.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('complaints.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} disabled={active.length === 0}>
              {t('complaints.create.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
