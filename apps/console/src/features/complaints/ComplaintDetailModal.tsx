import { Badge, Button, Checkbox, Divider, Group, List, Modal, NumberInput, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageLoader } from '../../shared/PageLoader';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { ClockBadge } from './ClockBadge';
import { ComplaintLinks } from './ComplaintLinks';
import { OwnerLine } from './ReassignOwner';
import { type Complaint, type ComplaintStatus, NEXT_STATUSES } from './types';
import { complaintsApi, useComplaint, useComplaintHistory, useComplaintWrite } from './useComplaints';

interface Props {
  complaintId: string | null;
  categoryName(id: string): string;
  onClose(): void;
}

/** A complaint: its clocks, owner, status steps (answer required to answer), pause while waiting, remit, compensation, follow-up, links and history. */
export function ComplaintDetailModal({ complaintId, categoryName, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const complaint = useComplaint(complaintId);
  const history = useComplaintHistory(complaintId);
  const c = complaint.data;
  const at = (iso: string) => new Date(iso).toLocaleString(i18n.language, { dateStyle: 'short', timeStyle: 'short' });

  return (
    <Modal opened={!!complaintId} onClose={onClose} size="xl" closeButtonProps={{ 'aria-label': t('complaints.close') }} title={c ? `${t('complaints.detail.title')} — ${c.reason}` : t('complaints.detail.title')}>
      {complaint.error && <ProblemAlert error={complaint.error} />}
      {!c ? (
        <PageLoader />
      ) : (
        <Stack gap="sm">
          <Group gap="xs">
            <Badge variant="outline" color="dark">
              {t(`complaints.status.${c.status}`)}
            </Badge>
            <Badge variant="outline" color="dark">
              {t(`complaints.severity.${c.severity}`)}
            </Badge>
            {c.escalatedAt && (
              <Badge color="red.9">{t('complaints.detail.escalated', { reason: t(`complaints.escalationReason.${c.escalationReason}`) })}</Badge>
            )}
            {c.clocks.map((clock) => (
              <ClockBadge key={clock.kind} clock={clock} />
            ))}
          </Group>
          <Text size="sm">
            {t('complaints.detail.meta', { channel: t(`complaints.channel.${c.channel}`), category: categoryName(c.categoryId), at: at(c.receivedAt) })}
          </Text>
          <OwnerLine complaint={c} />
          <Text>{c.description}</Text>
          {c.requestedRemedy && (
            <Text size="sm">
              <strong>{t('complaints.fields.requestedRemedy')} :</strong> {c.requestedRemedy}
            </Text>
          )}
          {c.answer && (
            <Text size="sm">
              <strong>{t('complaints.fields.answer')} :</strong> {c.answer}
            </Text>
          )}
          <StatusActions complaint={c} />
          <Divider />
          <HandlingForm complaint={c} />
          <Divider />
          <ComplaintLinks complaint={c} />
          <Divider />
          <Title order={3} size="h5">
            {t('complaints.detail.history')}
          </Title>
          {history.error && <ProblemAlert error={history.error} />}
          <List size="sm" spacing={4} aria-label={t('complaints.detail.history')}>
            {(history.data ?? []).map((entry) => (
              <List.Item key={entry.id}>
                <Text span size="sm" fw={600}>
                  {at(entry.at)}
                </Text>{' '}
                — {entry.type === 'status_changed'
                  ? t('complaints.history.status_changed', {
                      from: t(`complaints.status.${String(entry.data.from)}`),
                      to: t(`complaints.status.${String(entry.data.to)}`),
                    })
                  : t(`complaints.history.${entry.type}`, { defaultValue: entry.type })}{' '}
                ({actorName(entry.actor.label)})
              </List.Item>
            ))}
          </List>
        </Stack>
      )}
    </Modal>
  );
}

function StatusActions({ complaint }: { complaint: Complaint }) {
  const { t } = useTranslation();
  const [answer, setAnswer] = useState('');
  const [pauseReason, setPauseReason] = useState('');
  const step = useComplaintWrite((body: { status: ComplaintStatus; answer?: string }) => complaintsApi.status(complaint.id, complaint.version, body));
  const pause = useComplaintWrite((reason: string) => complaintsApi.pause(complaint.id, complaint.version, reason));
  const resume = useComplaintWrite(() => complaintsApi.resume(complaint.id, complaint.version));
  const next = NEXT_STATUSES[complaint.status];
  const running = complaint.clocks.filter((clock) => !clock.stoppedAt);
  const paused = running.some((clock) => clock.pausedAt);

  return (
    <Stack gap="xs" component="section" aria-label={t('complaints.detail.actions')}>
      {next.includes('answered') && (
        <Textarea label={t('complaints.fields.answer')} value={answer} onChange={(e) => setAnswer(e.currentTarget.value)} autosize minRows={2} />
      )}
      <Group gap="xs">
        {next.map((status) => (
          <Button
            key={status}
            variant={status === 'answered' ? 'filled' : 'default'}
            disabled={status === 'answered' && answer.trim() === ''}
            loading={step.isPending && step.variables?.status === status}
            onClick={() => step.mutate(status === 'answered' ? { status, answer } : { status }, { onSuccess: () => setAnswer('') })}
          >
            {t(`complaints.action.${status}`)}
          </Button>
        ))}
      </Group>
      {running.length > 0 && (
        <Group gap="xs" align="flex-end">
          {paused ? (
            <Button variant="default" onClick={() => resume.mutate(undefined)} loading={resume.isPending}>
              {t('complaints.action.resume')}
            </Button>
          ) : (
            <>
              <TextInput label={t('complaints.fields.pauseReason')} value={pauseReason} onChange={(e) => setPauseReason(e.currentTarget.value)} />
              <Button variant="default" onClick={() => pause.mutate(pauseReason, { onSuccess: () => setPauseReason('') })} loading={pause.isPending}>
                {t('complaints.action.pause')}
              </Button>
            </>
          )}
        </Group>
      )}
      {[step.error, pause.error, resume.error].map((error, i) => error && <ProblemAlert key={i} error={error} />)}
    </Stack>
  );
}

function HandlingForm({ complaint }: { complaint: Complaint }) {
  const { t } = useTranslation();
  const [withinRemit, setWithinRemit] = useState(complaint.withinRemit);
  const [compensation, setCompensation] = useState(complaint.compensation ?? '');
  const [amount, setAmount] = useState<number | ''>(complaint.compensationAmount ?? '');
  const [followUp, setFollowUp] = useState(complaint.followUp ?? '');
  const [followUpOn, setFollowUpOn] = useState(complaint.followUpOn ?? '');
  const save = useComplaintWrite((body: Record<string, unknown>) => complaintsApi.update(complaint.id, complaint.version, body));

  useEffect(() => {
    setWithinRemit(complaint.withinRemit);
    setCompensation(complaint.compensation ?? '');
    setAmount(complaint.compensationAmount ?? '');
    setFollowUp(complaint.followUp ?? '');
    setFollowUpOn(complaint.followUpOn ?? '');
  }, [complaint]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({
      withinRemit,
      compensation: compensation || null,
      compensationAmount: compensation && amount !== '' ? amount : null,
      followUp: followUp || null,
      followUpOn: followUpOn || null,
    });
  };

  return (
    <form onSubmit={submit} aria-label={t('complaints.detail.handling')}>
      <Stack gap="xs">
        <Checkbox label={t('complaints.fields.withinRemit')} checked={withinRemit} onChange={(e) => setWithinRemit(e.currentTarget.checked)} />
        <Group grow>
          <TextInput label={t('complaints.fields.compensation')} value={compensation} onChange={(e) => setCompensation(e.currentTarget.value)} />
          <NumberInput
            label={t('complaints.fields.compensationAmount')}
            value={amount}
            onChange={(v) => setAmount(typeof v === 'number' ? v : '')}
            min={0}
            decimalScale={2}
          />
        </Group>
        <Group grow>
          <TextInput label={t('complaints.fields.followUp')} value={followUp} onChange={(e) => setFollowUp(e.currentTarget.value)} />
          <TextInput type="date" label={t('complaints.fields.followUpOn')} value={followUpOn} onChange={(e) => setFollowUpOn(e.currentTarget.value)} />
        </Group>
        {save.error && <ProblemAlert error={save.error} />}
        <Group justify="flex-end">
          <Button type="submit" variant="default" loading={save.isPending}>
            {t('complaints.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** "Claire Moreau <claire@…>" → "Claire Moreau": the history names people, the address adds nothing here. */
function actorName(label: string): string {
  return label.replace(/\s*<[^>]*>$/, '');
}
