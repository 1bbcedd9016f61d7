import { ActionIcon, Button, Checkbox, Fieldset, Group, List, MultiSelect, NativeSelect, NumberInput, Paper, Stack, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { type EscalationLevel, type EscalationPolicy, useEscalationPolicy, useReplaceEscalationPolicy } from './incidentsApi';

/** Same bounds as the API; checked here so a wrong delay never leaves the screen. */
const MAX_LEVELS = 10;
const MAX_DELAY_SECONDS = 86_400;

type Unit = 'seconds' | 'minutes';
interface LevelDraft extends Omit<EscalationLevel, 'delaySeconds'> {
  key: number;
  delay: number | string;
  unit: Unit;
}

let nextKey = 0;
const toDraft = (l: EscalationLevel): LevelDraft => {
  const minutes = l.delaySeconds % 60 === 0;
  return { ...l, key: nextKey++, delay: minutes ? l.delaySeconds / 60 : l.delaySeconds, unit: minutes ? 'minutes' : 'seconds' };
};
const delaySeconds = (l: LevelDraft) => (typeof l.delay === 'number' ? l.delay * (l.unit === 'minutes' ? 60 : 1) : NaN);
const delayValid = (l: LevelDraft) => {
  const s = delaySeconds(l);
  return Number.isInteger(s) && s > 0 && s <= MAX_DELAY_SECONDS;
};

/** What happens when nobody takes a call for help on this site: the levels, their delays and who they reach; supervisors edit it. */
export function EscalationPolicyPanel({ siteId }: { siteId: string }) {
  const { t } = useTranslation();
  const policy = useEscalationPolicy(siteId, true);
  const [editing, setEditing] = useState(false);
  const who = (l: EscalationLevel) =>
    [
      l.notifySupervisors && t('incidents.policy.supervisors'),
      l.notifyAdmins && t('incidents.policy.admins'),
      l.notifySecurity && t('incidents.policy.security'),
      l.userIds.length > 0 && t('incidents.policy.people', { count: l.userIds.length }),
      ...l.emails,
    ]
      .filter(Boolean)
      .join(', ');
  let elapsed = 0;

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="incident-policy-title">
      <Title order={3} size="h4" id="incident-policy-title" mb="xs">
        {t('incidents.policy.title')}
      </Title>
      <ProblemAlert error={policy.error} />
      {policy.data && !editing && (
        <>
          <Text size="sm">{policy.data.isDefault ? t('incidents.policy.default') : t('incidents.policy.custom')}</Text>
          <List size="sm" mt={4}>
            <List.Item>{t('incidents.policy.immediate')}</List.Item>
            {policy.data.levels.map((l, i) => {
              elapsed += l.delaySeconds;
              return (
                <List.Item key={i}>
                  {t('incidents.policy.level', { level: i + 1, name: l.name, seconds: elapsed, who: who(l) })}
                  {l.sendEmail && ` ${t('incidents.policy.email')}`}
                </List.Item>
              );
            })}
          </List>
          <Button variant="default" mt="xs" onClick={() => setEditing(true)}>
            {t('incidents.policy.edit')}
          </Button>
        </>
      )}
      {policy.data && editing && <PolicyEditor siteId={siteId} policy={policy.data} onDone={() => setEditing(false)} />}
    </Paper>
  );
}

function PolicyEditor({ siteId, policy, onDone }: { siteId: string; policy: EscalationPolicy; onDone: () => void }) {
  const { t } = useTranslation();
  const replace = useReplaceEscalationPolicy(siteId);
  const users = useQuery({
    queryKey: ['incident-policy-users', siteId],
    queryFn: () => api<{ users: { id: string; displayName: string }[] }>('/messages/recipients', { query: { siteId } }),
    select: (data) => data.users.map((u) => ({ value: u.id, label: u.displayName })),
  });
  const [securityUserIds, setSecurityUserIds] = useState(policy.securityUserIds);
  const [securityEmails, setSecurityEmails] = useState(policy.securityEmails);
  const [levels, setLevels] = useState(() => policy.levels.map(toDraft));
  const [checked, setChecked] = useState(false);
  const userOptions = users.data ?? [];

  const change = (key: number, patch: Partial<LevelDraft>) => setLevels((all) => all.map((l) => (l.key === key ? { ...l, ...patch } : l)));
  const move = (index: number, by: -1 | 1) =>
    setLevels((all) => {
      const next = [...all];
      [next[index], next[index + by]] = [next[index + by], next[index]];
      return next;
    });
  const addLevel = () =>
    setLevels((all) => [
      ...all,
      { key: nextKey++, name: '', delay: 5, unit: 'minutes', notifySupervisors: true, notifyAdmins: false, notifySecurity: false, userIds: [], emails: [], sendEmail: false },
    ]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setChecked(true);
    if (levels.some((l) => !delayValid(l) || !l.name.trim())) return;
    replace.mutate(
      {
        version: policy.version,
        body: {
          securityUserIds,
          securityEmails,
          levels: levels.map((l) => ({
            name: l.name.trim(),
            delaySeconds: delaySeconds(l),
            notifySupervisors: l.notifySupervisors,
            notifyAdmins: l.notifyAdmins,
            notifySecurity: l.notifySecurity,
            userIds: l.userIds,
            emails: l.emails,
            sendEmail: l.sendEmail,
          })),
        },
      },
      { onSuccess: onDone },
    );
  };

  return (
    <form onSubmit={submit} aria-label={t('incidents.policy.editorLabel')} noValidate>
      <Stack gap="sm">
        <Fieldset legend={t('incidents.policy.securityContacts')}>
          <Stack gap="xs">
            <MultiSelect
              label={t('incidents.policy.securityUsers')}
              data={userOptions}
              value={securityUserIds}
              onChange={setSecurityUserIds}
              searchable
              maxValues={20}
            />
            <TagsInput
              label={t('incidents.policy.securityEmails')}
              description={t('incidents.policy.emailsHelp')}
              value={securityEmails}
              onChange={setSecurityEmails}
              maxTags={20}
            />
          </Stack>
        </Fieldset>
        {levels.map((level, i) => {
          const n = i + 1;
          const delayError = checked && !delayValid(level) ? t('incidents.policy.delayInvalid', { max: MAX_DELAY_SECONDS / 60 }) : undefined;
          return (
            <Fieldset key={level.key} legend={t('incidents.policy.levelLegend', { level: n })}>
              <Stack gap="xs">
                <TextInput
                  label={t('incidents.policy.levelName', { level: n })}
                  required
                  maxLength={100}
                  value={level.name}
                  onChange={(e) => change(level.key, { name: e.currentTarget.value })}
                  error={checked && !level.name.trim() ? t('incidents.policy.nameRequired') : undefined}
                />
                <Group grow align="flex-start">
                  <NumberInput
                    label={t('incidents.policy.delay', { level: n })}
                    description={t('incidents.policy.delayHelp')}
                    required
                    // No clamping: a 0 typed in must reach the check below and be explained, not silently become 1.
                    clampBehavior="none"
                    allowDecimal={false}
                    allowNegative={false}
                    value={level.delay}
                    onChange={(value) => change(level.key, { delay: value })}
                    error={delayError}
                  />
                  <NativeSelect
                    label={t('incidents.policy.unit', { level: n })}
                    value={level.unit}
                    onChange={(e) => change(level.key, { unit: e.currentTarget.value as Unit })}
                    data={[
                      { value: 'seconds', label: t('incidents.policy.seconds') },
                      { value: 'minutes', label: t('incidents.policy.minutes') },
                    ]}
                  />
                </Group>
                <Group gap="md">
                  <Checkbox label={t('incidents.policy.notifySupervisors')} checked={level.notifySupervisors} onChange={(e) => change(level.key, { notifySupervisors: e.currentTarget.checked })} />
                  <Checkbox label={t('incidents.policy.notifyAdmins')} checked={level.notifyAdmins} onChange={(e) => change(level.key, { notifyAdmins: e.currentTarget.checked })} />
                  <Checkbox label={t('incidents.policy.notifySecurity')} checked={level.notifySecurity} onChange={(e) => change(level.key, { notifySecurity: e.currentTarget.checked })} />
                  <Checkbox label={t('incidents.policy.sendEmail')} checked={level.sendEmail} onChange={(e) => change(level.key, { sendEmail: e.currentTarget.checked })} />
                </Group>
                <MultiSelect
                  label={t('incidents.policy.levelUsers', { level: n })}
                  data={userOptions}
                  value={level.userIds}
                  onChange={(userIds) => change(level.key, { userIds })}
                  searchable
                  maxValues={20}
                />
                <TagsInput
                  label={t('incidents.policy.levelEmails', { level: n })}
                  description={t('incidents.policy.emailsHelp')}
                  value={level.emails}
                  onChange={(emails) => change(level.key, { emails })}
                  maxTags={20}
                />
                <Group gap="xs">
                  <ActionIcon variant="default" size="lg" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t('incidents.policy.moveUp', { level: n })}>
                    ↑
                  </ActionIcon>
                  <ActionIcon variant="default" size="lg" disabled={i === levels.length - 1} onClick={() => move(i, 1)} aria-label={t('incidents.policy.moveDown', { level: n })}>
                    ↓
                  </ActionIcon>
                  <Button variant="default" onClick={() => setLevels((all) => all.filter((l) => l.key !== level.key))}>
                    {t('incidents.policy.removeLevel', { level: n })}
                  </Button>
                </Group>
              </Stack>
            </Fieldset>
          );
        })}
        <Button variant="default" onClick={addLevel} disabled={levels.length >= MAX_LEVELS} style={{ alignSelf: 'flex-start' }}>
          {t('incidents.policy.addLevel')}
        </Button>
        {replace.error && <ProblemAlert error={replace.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('incidents.policy.cancel')}
          </Button>
          <Button type="submit" loading={replace.isPending}>
            {t('incidents.policy.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
