import { Alert, Button, Group, SegmentedControl, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CALL_OUTCOMES, type CallOutcome, type Visitor } from '../../../api/types';
import { clock } from '../../../shared/format';
import { ProblemAlert } from '../../../shared/ProblemAlert';
import { useNow } from '../../../shared/useNow';
import { VisitorPanel } from '../visitor/VisitorPanel';
import { useLogPhoneCall, useServices } from './usePhoneCall';

/** One call: who, what for, how it ended; its duration runs from the moment the form opened. */
export function PhoneCallForm({ siteId, onClose }: { siteId: string; onClose(): void }) {
  const { t } = useTranslation();
  const [startedAt] = useState(() => new Date());
  const now = useNow();
  const log = useLogPhoneCall(siteId);
  const services = useServices(siteId).data?.items ?? [];
  const [direction, setDirection] = useState<'inbound' | 'outbound'>('inbound');
  const [number, setNumber] = useState('');
  const [caller, setCaller] = useState<Visitor | null>(null);
  const [subject, setSubject] = useState('');
  const [notes, setNotes] = useState('');
  const [outcome, setOutcome] = useState<CallOutcome>('answered');
  const [serviceId, setServiceId] = useState<string | null>(null);
  const elapsed = (now - startedAt.getTime()) / 1000;

  function submit(event: FormEvent) {
    event.preventDefault();
    log.mutate({
      direction,
      number: number.trim() || caller?.phone || null,
      startedAt: startedAt.toISOString(),
      durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
      outcome,
      transferredToServiceId: outcome === 'transferred' ? serviceId : null,
      visitorId: caller?.id ?? null,
      notes: notes.trim() || null,
      createRequest: subject.trim() ? { subject: subject.trim() } : null,
    });
  }

  if (log.data) {
    return (
      <Stack>
        <Alert color="teal" role="status" title={t('phone.logged')} />
        <Button onClick={onClose}>{t('phone.backToDesk')}</Button>
      </Stack>
    );
  }

  return (
    <Stack component="form" onSubmit={submit}>
      <Group justify="space-between">
        <SegmentedControl
          aria-label={t('phone.direction')}
          value={direction}
          onChange={(v) => setDirection(v as 'inbound' | 'outbound')}
          data={[
            { value: 'inbound', label: t('phone.inbound') },
            { value: 'outbound', label: t('phone.outbound') },
          ]}
        />
        <Text fw={700} aria-label={t('phone.duration')}>
          {clock(elapsed)}
        </Text>
      </Group>
      <TextInput label={t('phone.number')} type="tel" value={number} onChange={(e) => setNumber(e.currentTarget.value)} />
      <VisitorPanel siteId={siteId} visitor={caller} onChange={setCaller} ticketNeeds={[]} />
      <TextInput label={t('phone.subject')} description={t('phone.subjectHint')} value={subject} onChange={(e) => setSubject(e.currentTarget.value)} />
      <Textarea label={t('request.notes')} autosize minRows={2} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} />
      <Select
        label={t('phone.outcome')}
        value={outcome}
        onChange={(v) => v && setOutcome(v as CallOutcome)}
        allowDeselect={false}
        data={CALL_OUTCOMES.map((o) => ({ value: o, label: t(`callOutcome.${o}`) }))}
        comboboxProps={{ withinPortal: false }}
      />
      {outcome === 'transferred' && (
        <Select
          label={t('phone.transferredTo')}
          required
          value={serviceId}
          onChange={setServiceId}
          data={services.map((s) => ({ value: s.id, label: s.name }))}
          comboboxProps={{ withinPortal: false }}
        />
      )}
      <ProblemAlert error={log.error} />
      <Button type="submit" loading={log.isPending} disabled={outcome === 'transferred' && !serviceId}>
        {t('phone.save')}
      </Button>
    </Stack>
  );
}
