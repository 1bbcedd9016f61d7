import { Badge, Button, Checkbox, Group, Modal, NativeSelect, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { hasRole, useAuth } from '../auth/useAuth';
import {
  ACTIONS,
  type Incident,
  type IncidentPatch,
  OUTCOMES,
  SEVERITIES,
  SIGNS,
  type Severity,
  useCloseIncident,
  useIncident,
  useUpdateIncident,
} from './incidentsApi';

type Draft = Required<Pick<Incident, 'severity' | 'signs' | 'observations' | 'actions' | 'actionsTaken' | 'peopleInvolved'>> & { place: string; outcome: string };

function draftOf(i: Incident): Draft {
  return {
    severity: i.severity,
    place: i.place ?? '',
    signs: i.signs,
    observations: i.observations,
    actions: i.actions,
    actionsTaken: i.actionsTaken,
    outcome: i.outcome ?? '',
    peopleInvolved: i.peopleInvolved,
  };
}

/** What was seen, what was done, how it ended; supervisors close the follow-up with a report. */
export function IncidentFormModal({ incidentId, onClose }: { incidentId: string; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const { user } = useAuth();
  const incident = useIncident(incidentId);
  const update = useUpdateIncident(incidentId);
  const close = useCloseIncident(incidentId);
  const [draft, setDraft] = useState<Draft>();
  const [report, setReport] = useState('');
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (incident.data && !draft) setDraft(draftOf(incident.data));
  }, [incident.data, draft]);

  const data = incident.data;
  const closed = data?.status === 'closed';
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setSaved(false);
    setDraft((d) => (d ? { ...d, [key]: value } : d));
  };

  const save = () => {
    if (!draft || !data) return;
    const patch: IncidentPatch = { ...draft, place: draft.place || null, outcome: (draft.outcome || null) as Incident['outcome'] };
    update.mutate({ patch, version: data.version }, { onSuccess: () => setSaved(true) });
  };

  return (
    <Modal opened onClose={onClose} size="lg" closeButtonProps={{ 'aria-label': t('common.close') }} title={<Title order={2} size="h3">{t('incidents.form.title')}</Title>}>
      <ProblemAlert error={incident.error ?? update.error ?? close.error} />
      {data && draft && (
        <Stack gap="sm">
          <Group gap="xs">
            <Badge color={closed ? 'gray.7' : '#a5380a'}>{t(`incidents.status.${data.status}`)}</Badge>
            <Text size="sm">{new Date(data.occurredAt).toLocaleString(i18n.language)}</Text>
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NativeSelect
              label={t('incidents.fields.severity')}
              value={draft.severity}
              disabled={closed}
              onChange={(e) => set('severity', e.currentTarget.value as Severity)}
              data={SEVERITIES.map((s) => ({ value: s, label: t(`incidents.severity.${s}`) }))}
            />
            <TextInput label={t('incidents.fields.place')} value={draft.place} disabled={closed} maxLength={200} onChange={(e) => set('place', e.currentTarget.value)} />
          </SimpleGrid>
          <Checkbox.Group label={t('incidents.fields.signs')} value={draft.signs} onChange={(v) => set('signs', v)}>
            <SimpleGrid cols={{ base: 1, sm: 2 }} mt={4} spacing={4}>
              {SIGNS.map((s) => (
                <Checkbox key={s} value={s} label={t(`incidents.signs.${s}`)} disabled={closed} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <Textarea label={t('incidents.fields.observations')} value={draft.observations} disabled={closed} autosize minRows={2} maxLength={4000} onChange={(e) => set('observations', e.currentTarget.value)} />
          <Checkbox.Group label={t('incidents.fields.actions')} value={draft.actions} onChange={(v) => set('actions', v)}>
            <SimpleGrid cols={{ base: 1, sm: 2 }} mt={4} spacing={4}>
              {ACTIONS.map((a) => (
                <Checkbox key={a} value={a} label={t(`incidents.actions.${a}`)} disabled={closed} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <Textarea label={t('incidents.fields.actionsTaken')} value={draft.actionsTaken} disabled={closed} autosize minRows={2} maxLength={4000} onChange={(e) => set('actionsTaken', e.currentTarget.value)} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NativeSelect
              label={t('incidents.fields.outcome')}
              value={draft.outcome}
              disabled={closed}
              onChange={(e) => set('outcome', e.currentTarget.value)}
              data={[{ value: '', label: t('incidents.outcome.none') }, ...OUTCOMES.map((o) => ({ value: o, label: t(`incidents.outcome.${o}`) }))]}
            />
            <TextInput label={t('incidents.fields.peopleInvolved')} value={draft.peopleInvolved} disabled={closed} maxLength={2000} onChange={(e) => set('peopleInvolved', e.currentTarget.value)} />
          </SimpleGrid>
          {!closed && (
            <Group justify="flex-end">
              {saved && (
                <Text size="sm" c="teal.9" role="status">
                  {t('incidents.form.saved')}
                </Text>
              )}
              <Button onClick={save} loading={update.isPending}>
                {t('common.save')}
              </Button>
            </Group>
          )}
          {closed && data.report && (
            <div>
              <Text fw={600} size="sm">
                {t('incidents.fields.report')}
              </Text>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {data.report}
              </Text>
            </div>
          )}
          {!closed && hasRole(user, 'supervisor') && (
            <Stack gap="xs" component="section" aria-labelledby="incident-close-title">
              <Title order={3} size="h4" id="incident-close-title">
                {t('incidents.form.closeTitle')}
              </Title>
              <Textarea label={t('incidents.fields.report')} value={report} autosize minRows={3} maxLength={8000} onChange={(e) => setReport(e.currentTarget.value)} />
              <Group justify="flex-end">
                <Button color="gray.8" disabled={!report.trim()} loading={close.isPending} onClick={() => close.mutate({ report, ...(draft.outcome ? { outcome: draft.outcome } : {}) })}>
                  {t('incidents.form.close')}
                </Button>
              </Group>
            </Stack>
          )}
        </Stack>
      )}
    </Modal>
  );
}
