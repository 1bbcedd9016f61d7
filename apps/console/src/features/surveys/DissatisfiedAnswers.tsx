import { Anchor, Badge, Button, Group, NativeSelect, Paper, Stack, TagsInput, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import type { Page } from '../../api/types';
import { ProblemAlert } from '../../shared/ProblemAlert';

interface SurveyResponse {
  id: string;
  channel: string;
  csat: number | null;
  nps: number | null;
  comment: string | null;
  reasonTags: string[];
  submittedAt: string;
  version: number;
}

const TAG = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const SUGGESTED = ['waiting', 'welcome', 'information', 'opening_hours', 'premises', 'phone', 'processing_time', 'documents', 'accessibility', 'online'];

/** The latest dissatisfied answers, so a supervisor can read them and tag the reasons the figures rank. */
export function DissatisfiedAnswers({ siteId, from, to }: { siteId: string; from?: string; to?: string }) {
  const { t, i18n } = useTranslation();
  const answers = useQuery({
    queryKey: ['survey-responses', siteId, from, to],
    queryFn: () => api<Page<SurveyResponse>>('/surveys/responses', { query: { siteId, from, to, dissatisfied: true, limit: 20 } }),
  });
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="dissatisfied-answers">
      <Title order={3} size="h4" id="dissatisfied-answers" mb="xs">
        {t('surveys.answers.title')}
      </Title>
      <ProblemAlert error={answers.error} />
      {answers.data?.items.length === 0 && <Text>{t('surveys.answers.none')}</Text>}
      <Stack gap="sm">
        {answers.data?.items.map((answer) => (
          <AnswerCard key={answer.id} siteId={siteId} answer={answer} locale={i18n.language} />
        ))}
      </Stack>
    </Paper>
  );
}

function AnswerCard({ siteId, answer, locale }: { siteId: string; answer: SurveyResponse; locale: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [tags, setTags] = useState(answer.reasonTags);
  const save = useMutation({
    mutationFn: () =>
      api(`/surveys/responses/${answer.id}/tags`, { method: 'PATCH', headers: { 'if-match': `"${answer.version}"` }, body: { tags } }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['survey-responses', siteId] });
      void queryClient.invalidateQueries({ queryKey: ['survey-reasons', siteId] });
    },
  });
  const when = new Date(answer.submittedAt).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' });
  return (
    <Paper withBorder p="xs" component="article" aria-label={t('surveys.answers.item', { when })}>
      <Group gap="xs" mb={4}>
        <Text size="sm" fw={700}>
          {when}
        </Text>
        <Badge variant="outline" color="gray.8">
          {t(`surveys.channels.${answer.channel}`, { defaultValue: answer.channel })}
        </Badge>
        {answer.csat !== null && <Badge color="red.9">{t('surveys.answers.csat', { score: answer.csat })}</Badge>}
        {answer.nps !== null && <Badge color="red.9">{t('surveys.answers.nps', { score: answer.nps })}</Badge>}
      </Group>
      {answer.comment && <Text size="sm">« {answer.comment} »</Text>}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Group align="end" gap="xs" mt={4}>
          <TagsInput
            label={t('surveys.answers.tags')}
            description={t('surveys.answers.tagsHelp')}
            value={tags}
            onChange={(next) => setTags(next.map((tag) => tag.trim().toLowerCase()).filter((tag) => TAG.test(tag)))}
            data={SUGGESTED}
            maxTags={20}
            style={{ flex: 1 }}
          />
          <Button type="submit" variant="default" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
        <ProblemAlert error={save.error} />
      </form>
      <ComplaintFromAnswer siteId={siteId} answer={answer} />
    </Paper>
  );
}

interface Category {
  id: string;
  name: string;
  active: boolean;
}

/** A low answer becomes a complaint in one click: the API copies the visitor, service, agent and channel from it. */
function ComplaintFromAnswer({ siteId, answer }: { siteId: string; answer: SurveyResponse }) {
  const { t } = useTranslation();
  const categories = useQuery({
    queryKey: ['complaint-categories', siteId],
    queryFn: () => api<Category[]>('/complaint-categories', { query: { siteId } }),
  });
  const active = (categories.data ?? []).filter((c) => c.active);
  const [categoryId, setCategoryId] = useState('');
  const chosen = categoryId || active[0]?.id || '';
  const open = useMutation({
    mutationFn: () =>
      api<{ id: string }>('/complaints', {
        method: 'POST',
        body: {
          surveyResponseId: answer.id,
          categoryId: chosen,
          reason: answer.reasonTags.length > 0 ? answer.reasonTags.join(', ') : t('surveys.answers.complaintReason'),
          description: answer.comment ?? t('surveys.answers.complaintNoComment', { csat: answer.csat ?? '–', nps: answer.nps ?? '–' }),
        },
      }),
  });
  if (active.length === 0) return null;
  if (open.isSuccess) {
    return (
      <Text size="sm" mt={4} role="status">
        {t('surveys.answers.complaintOpened')}{' '}
        <Anchor component={Link} to="/complaints">
          {t('surveys.answers.complaintsLink')}
        </Anchor>
      </Text>
    );
  }
  return (
    <Group align="end" gap="xs" mt={4}>
      <NativeSelect
        label={t('surveys.answers.complaintCategory')}
        value={chosen}
        onChange={(e) => setCategoryId(e.currentTarget.value)}
        data={active.map((c) => ({ value: c.id, label: c.name }))}
      />
      <Button variant="light" color="red.9" loading={open.isPending} onClick={() => open.mutate()}>
        {t('surveys.answers.toComplaint')}
      </Button>
      <ProblemAlert error={open.error} />
    </Group>
  );
}
