import { Alert, Button, Center, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api, ApiError } from '../../api/client';
import { PageLoader } from '../../shared/PageLoader';
import type { PublicSurvey } from '../surveys/types';
import { AnswerValue, QuestionField } from './QuestionField';

/** The edit key stays in this browser only, for the short correction window. */
const editKeyStorage = (token: string) => `guichet.survey.${token}`;

type Answers = Record<string, AnswerValue>;

function StateMessage({ title, help, color = 'blue' }: { title: string; help: string; color?: string }) {
  return (
    <Alert color={color} title={title} role="status">
      {help}
    </Alert>
  );
}

/**
 * The survey page behind the mailed link `/s/{token}`: no login, made for phones. It speaks the
 * invitation's language, answers once, and lets the same browser correct the answer while the
 * window lasts. Used, expired and unknown links each get their own plain message.
 */
export function PublicSurveyPage() {
  const { t, i18n } = useTranslation();
  const { token = '' } = useParams();
  const [editKey, setEditKey] = useState<string | null>(() => sessionStorage.getItem(editKeyStorage(token)));
  const [answers, setAnswers] = useState<Answers>({});
  const [phase, setPhase] = useState<'form' | 'thanks'>('form');
  const [editableUntil, setEditableUntil] = useState<string | null>(null);
  const [corrected, setCorrected] = useState(false);

  const survey = useQuery({
    queryKey: ['public-survey', token, editKey],
    queryFn: () => api<PublicSurvey>(`/public/surveys/${encodeURIComponent(token)}`, { query: { editKey: editKey ?? undefined } }),
    retry: false,
    refetchOnWindowFocus: false,
  });
  const data = survey.data;

  useEffect(() => {
    if (!data) return;
    if (i18n.language !== data.language) void i18n.changeLanguage(data.language);
    if (data.answers) setAnswers(data.answers as Answers);
    if (data.editableUntil) setEditableUntil(data.editableUntil);
  }, [data, i18n]);

  const submit = useMutation({
    mutationFn: async () => {
      const body = { answers: Object.fromEntries(Object.entries(answers).filter(([, v]) => v !== undefined && v !== '')) };
      if (editKey && data?.answers) {
        const result = await api<{ editableUntil: string }>(`/public/surveys/${encodeURIComponent(token)}/answers`, {
          method: 'PATCH',
          body: { ...body, editKey },
        });
        return { ...result, corrected: true };
      }
      const created = await api<{ editKey: string; editableUntil: string }>(`/public/surveys/${encodeURIComponent(token)}/answers`, {
        method: 'POST',
        body,
      });
      sessionStorage.setItem(editKeyStorage(token), created.editKey);
      setEditKey(created.editKey);
      return { ...created, corrected: false };
    },
    onSuccess: (result) => {
      setEditableUntil(result.editableUntil);
      setCorrected(result.corrected);
      setPhase('thanks');
    },
  });

  const fieldErrors = new Map(
    submit.error instanceof ApiError && submit.error.status === 400
      ? (submit.error.problem.errors ?? []).map((e) => [e.field.replace(/^answers\./, ''), e.message] as const)
      : [],
  );
  const canCorrect = editableUntil !== null && new Date(editableUntil).getTime() > Date.now();
  const until = editableUntil ? new Date(editableUntil).toLocaleTimeString(i18n.language, { hour: '2-digit', minute: '2-digit' }) : '';

  let content: React.ReactNode;
  if (survey.isPending) {
    content = <PageLoader />;
  } else if (survey.error) {
    const status = survey.error instanceof ApiError ? survey.error.status : 0;
    content =
      status === 409 ? (
        <StateMessage title={t('surveys.public.answered')} help={t('surveys.public.answeredHelp')} />
      ) : status === 410 ? (
        <StateMessage title={t('surveys.public.expired')} help={t('surveys.public.expiredHelp')} />
      ) : status === 404 || status === 400 ? (
        <StateMessage title={t('surveys.public.notFound')} help={t('surveys.public.notFoundHelp')} />
      ) : (
        <StateMessage title={t('surveys.public.error')} help="" color="red" />
      );
  } else if (phase === 'thanks') {
    content = (
      <Stack gap="md">
        <Title order={1} size="h2">
          {corrected ? t('surveys.public.corrected') : t('surveys.public.thanks')}
        </Title>
        <Text>{t('surveys.public.thanksHelp')}</Text>
        {canCorrect && (
          <>
            <Text size="sm">{t('surveys.public.correctUntil', { time: until })}</Text>
            <Button
              variant="default"
              onClick={() => {
                submit.reset();
                setPhase('form');
                void survey.refetch();
              }}
            >
              {t('surveys.public.correct')}
            </Button>
          </>
        )}
      </Stack>
    );
  } else if (data) {
    const correcting = !!data.answers;
    content = (
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit.mutate();
        }}
      >
        <Stack gap="lg">
          <div>
            <Text c="dimmed" size="sm">
              {data.siteName}
            </Text>
            <Title order={1} size="h2">
              {data.title}
            </Title>
            {data.intro && <Text mt="xs">{data.intro}</Text>}
          </div>
          {data.questions.map((q) => (
            <QuestionField
              key={q.key}
              question={q}
              value={answers[q.key]}
              error={fieldErrors.get(q.key)}
              onChange={(value) => setAnswers((current) => ({ ...current, [q.key]: value }))}
            />
          ))}
          <div aria-live="assertive">
            {submit.error instanceof ApiError && submit.error.status === 400 && <Alert color="red">{t('surveys.public.invalid')}</Alert>}
            {submit.error instanceof ApiError && submit.error.code === 'survey_edit_closed' && <Alert color="blue">{t('surveys.public.editClosed')}</Alert>}
            {submit.error instanceof ApiError && submit.error.status === 409 && submit.error.code !== 'survey_edit_closed' && (
              <Alert color="blue">{t('surveys.public.answered')}</Alert>
            )}
            {submit.error instanceof ApiError && submit.error.status === 410 && <Alert color="blue">{t('surveys.public.expired')}</Alert>}
            {submit.error instanceof ApiError && [0, 500, 502, 503].includes(submit.error.status) && <Alert color="red">{t('surveys.public.error')}</Alert>}
          </div>
          <Button type="submit" size="lg" loading={submit.isPending} fullWidth>
            {correcting ? t('surveys.public.update') : t('surveys.public.send')}
          </Button>
        </Stack>
      </form>
    );
  }

  return (
    <Center component="main" mih="100vh" bg="gray.1" p={{ base: 'xs', sm: 'md' }}>
      <Paper withBorder p={{ base: 'md', sm: 'xl' }} w="100%" maw={560} radius="lg">
        {content}
      </Paper>
    </Center>
  );
}
