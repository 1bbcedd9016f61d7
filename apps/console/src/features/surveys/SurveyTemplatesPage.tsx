import { Alert, Badge, Button, Grid, Group, MultiSelect, NativeSelect, NumberInput, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useSite } from '../../app/useSite';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { TemplateForm } from './TemplateForm';
import { SURVEY_CHANNELS, type SurveyRule, type SurveySettings, type SurveyTemplate, type SurveyTrigger } from './types';

const TRIGGERS: SurveyTrigger[] = ['request_closed', 'ticket_done', 'complaint_resolved'];

/** Survey templates, sending rules and the site's survey settings, for supervisors. */
export function SurveyTemplatesPage() {
  const { t } = useTranslation();
  const { siteId } = useSite();
  if (!siteId) return <Alert color="yellow">{t('desk.noSite')}</Alert>;
  return (
    <Stack gap="md">
      <Title order={2}>{t('surveys.templates.title')}</Title>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack gap="md">
            <TemplateList siteId={siteId} />
            <TemplateForm siteId={siteId} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack gap="md">
            <RulesPanel siteId={siteId} />
            <SettingsPanel siteId={siteId} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function useTemplates(siteId: string) {
  return useQuery({ queryKey: ['survey-templates', siteId], queryFn: () => api<SurveyTemplate[]>('/surveys/templates', { query: { siteId } }) });
}

function TemplateList({ siteId }: { siteId: string }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const templates = useTemplates(siteId);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['survey-templates', siteId] });
  const toggle = useMutation({
    mutationFn: (tpl: SurveyTemplate) =>
      api(`/surveys/templates/${tpl.id}`, { method: 'PATCH', body: { active: !tpl.active }, headers: { 'if-match': `"${tpl.version}"` } }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (tpl: SurveyTemplate) => api(`/surveys/templates/${tpl.id}`, { method: 'DELETE', headers: { 'if-match': `"${tpl.version}"` } }),
    onSuccess: refresh,
  });
  const lang = i18n.language === 'en' ? 'en' : 'fr';

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="template-list">
      <Title order={3} size="h4" id="template-list" mb="xs">
        {t('surveys.templates.list')}
      </Title>
      <ProblemAlert error={templates.error ?? toggle.error ?? remove.error} />
      {templates.data?.length === 0 && <Text>{t('surveys.templates.none')}</Text>}
      <Stack gap="xs">
        {templates.data?.map((tpl) => (
          <Group key={tpl.id} justify="space-between" wrap="nowrap">
            <div>
              <Text fw={700}>{tpl.name}</Text>
              <Text size="sm">
                {tpl.title[lang]} · {t('surveys.templates.questionsCount', { count: tpl.questions.length })}
              </Text>
            </div>
            <Group gap="xs" wrap="nowrap">
              <Badge color={tpl.active ? 'teal.9' : 'gray.7'}>{tpl.active ? t('surveys.templates.active') : t('surveys.templates.inactive')}</Badge>
              <Button size="xs" variant="default" onClick={() => toggle.mutate(tpl)} aria-label={`${tpl.active ? t('surveys.templates.deactivate') : t('surveys.templates.activate')} ${tpl.name}`}>
                {tpl.active ? t('surveys.templates.deactivate') : t('surveys.templates.activate')}
              </Button>
              <Button size="xs" variant="outline" color="red.9" onClick={() => remove.mutate(tpl)} aria-label={`${t('surveys.templates.delete')} ${tpl.name}`}>
                {t('surveys.templates.delete')}
              </Button>
            </Group>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}

function RulesPanel({ siteId }: { siteId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const templates = useTemplates(siteId);
  const rules = useQuery({ queryKey: ['survey-rules', siteId], queryFn: () => api<SurveyRule[]>('/surveys/rules', { query: { siteId } }) });
  const [trigger, setTrigger] = useState<SurveyTrigger>('request_closed');
  const [channels, setChannels] = useState<string[]>([]);
  const [templateId, setTemplateId] = useState('');
  const [delay, setDelay] = useState<number>(60);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['survey-rules', siteId] });
  const create = useMutation({
    mutationFn: () => api('/surveys/rules', { method: 'POST', body: { siteId, trigger, channels, templateId, delayMinutes: delay } }),
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: (id: string) => api(`/surveys/rules/${id}`, { method: 'DELETE' }), onSuccess: refresh });
  const templateName = (id: string) => templates.data?.find((tpl) => tpl.id === id)?.name ?? id;
  const options = templates.data ?? [];

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="survey-rules">
      <Title order={3} size="h4" id="survey-rules">
        {t('surveys.templates.rules')}
      </Title>
      <Text size="sm" mb="xs">
        {t('surveys.templates.rulesHelp')}
      </Text>
      <ProblemAlert error={rules.error ?? remove.error} />
      {rules.data?.length === 0 && <Text>{t('surveys.templates.noRules')}</Text>}
      {rules.data && rules.data.length > 0 && (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('surveys.templates.trigger')}</Table.Th>
              <Table.Th scope="col">{t('surveys.templates.ruleChannels')}</Table.Th>
              <Table.Th scope="col">{t('surveys.templates.template')}</Table.Th>
              <Table.Th scope="col">{t('surveys.templates.delay')}</Table.Th>
              <Table.Th scope="col">{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rules.data.map((rule) => (
              <Table.Tr key={rule.id}>
                <Table.Td>{t(`surveys.templates.triggers.${rule.trigger}`)}</Table.Td>
                <Table.Td>
                  {rule.channels.length === 0
                    ? t('surveys.templates.allChannels')
                    : rule.channels.map((c) => t(`surveys.channels.${c}`, { defaultValue: c })).join(', ')}
                </Table.Td>
                <Table.Td>{templateName(rule.templateId)}</Table.Td>
                <Table.Td>{rule.delayMinutes}</Table.Td>
                <Table.Td>
                  <Button size="xs" variant="outline" color="red.9" onClick={() => remove.mutate(rule.id)}>
                    {t('surveys.templates.deleteRule')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Stack gap="xs" mt="sm">
          <NativeSelect
            label={t('surveys.templates.trigger')}
            value={trigger}
            onChange={(e) => setTrigger(e.currentTarget.value as SurveyTrigger)}
            data={TRIGGERS.map((tr) => ({ value: tr, label: t(`surveys.templates.triggers.${tr}`) }))}
          />
          <MultiSelect
            label={t('surveys.templates.ruleChannels')}
            value={channels}
            onChange={setChannels}
            data={SURVEY_CHANNELS.map((c) => ({ value: c, label: t(`surveys.channels.${c}`) }))}
          />
          <NativeSelect
            label={t('surveys.templates.template')}
            value={templateId}
            onChange={(e) => setTemplateId(e.currentTarget.value)}
            data={[{ value: '', label: '—' }, ...options.map((tpl) => ({ value: tpl.id, label: tpl.name }))]}
            required
          />
          <NumberInput label={t('surveys.templates.delay')} min={0} max={20160} value={delay} onChange={(v) => setDelay(Number(v))} />
          <Button type="submit" loading={create.isPending} disabled={!templateId}>
            {t('surveys.templates.addRule')}
          </Button>
          <ProblemAlert error={create.error} />
        </Stack>
      </form>
    </Paper>
  );
}

function SettingsPanel({ siteId }: { siteId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const templates = useTemplates(siteId);
  const settings = useQuery({ queryKey: ['survey-settings', siteId], queryFn: () => api<SurveySettings>(`/surveys/settings/${siteId}`) });
  const [draft, setDraft] = useState<SurveySettings>();
  useEffect(() => setDraft(settings.data), [settings.data]);
  const save = useMutation({
    mutationFn: (value: SurveySettings) =>
      api<SurveySettings>(`/surveys/settings/${siteId}`, {
        method: 'PATCH',
        headers: { 'if-match': `"${value.version}"` },
        body: {
          minDaysBetween: value.minDaysBetween,
          linkValidHours: value.linkValidHours,
          editWindowMinutes: value.editWindowMinutes,
          kioskTemplateId: value.kioskTemplateId,
        },
      }),
    onSuccess: (saved) => queryClient.setQueryData(['survey-settings', siteId], saved),
  });
  if (!draft) return <ProblemAlert error={settings.error} />;

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="survey-settings">
      <Title order={3} size="h4" id="survey-settings" mb="xs">
        {t('surveys.templates.settings')}
      </Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(draft);
        }}
      >
        <Stack gap="xs">
          <NumberInput label={t('surveys.templates.minDaysBetween')} min={0} max={365} value={draft.minDaysBetween} onChange={(v) => setDraft({ ...draft, minDaysBetween: Number(v) })} />
          <NumberInput label={t('surveys.templates.linkValidHours')} min={1} max={2160} value={draft.linkValidHours} onChange={(v) => setDraft({ ...draft, linkValidHours: Number(v) })} />
          <NumberInput label={t('surveys.templates.editWindowMinutes')} min={0} max={1440} value={draft.editWindowMinutes} onChange={(v) => setDraft({ ...draft, editWindowMinutes: Number(v) })} />
          <NativeSelect
            label={t('surveys.templates.kioskTemplate')}
            value={draft.kioskTemplateId ?? ''}
            onChange={(e) => setDraft({ ...draft, kioskTemplateId: e.currentTarget.value || null })}
            data={[{ value: '', label: t('surveys.templates.noKioskTemplate') }, ...(templates.data ?? []).map((tpl) => ({ value: tpl.id, label: tpl.name }))]}
          />
          <Button type="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
          <div aria-live="polite">{save.isSuccess && t('surveys.templates.saved')}</div>
          <ProblemAlert error={save.error} />
        </Stack>
      </form>
    </Paper>
  );
}
