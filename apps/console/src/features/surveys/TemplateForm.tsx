import { ActionIcon, Button, Checkbox, Fieldset, Group, NativeSelect, NumberInput, Paper, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ProblemAlert } from '../../shared/ProblemAlert';
import type { QuestionType, SurveyTemplate } from './types';

const TYPES: QuestionType[] = ['csat', 'nps', 'choice', 'scale', 'text'];

interface DraftQuestion {
  key: string;
  type: QuestionType;
  labelFr: string;
  labelEn: string;
  required: boolean;
  multiple: boolean;
  reasons: boolean;
  /** "value | libellé | label" per line. */
  options: string;
  min: number;
  max: number;
}

const blank = (n: number): DraftQuestion => ({
  key: `q${n}`,
  type: 'csat',
  labelFr: '',
  labelEn: '',
  required: true,
  multiple: false,
  reasons: false,
  options: '',
  min: 1,
  max: 5,
});

function toQuestion(q: DraftQuestion) {
  const base = { key: q.key.trim(), type: q.type, required: q.required, label: { fr: q.labelFr, en: q.labelEn } };
  if (q.type === 'choice') {
    const options = q.options
      .split('\n')
      .map((line) => line.split('|').map((part) => part.trim()))
      .filter((parts) => parts[0])
      .map(([value, fr = '', en = '']) => ({ value, label: { fr, en } }));
    return { ...base, options, multiple: q.multiple, reasons: q.reasons };
  }
  if (q.type === 'scale') return { ...base, min: q.min, max: q.max };
  return base;
}

/** Creates a survey template; every text is asked in French and English (the API refuses one language only). */
export function TemplateForm({ siteId }: { siteId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [title, setTitle] = useState({ fr: '', en: '' });
  const [intro, setIntro] = useState({ fr: '', en: '' });
  const [questions, setQuestions] = useState<DraftQuestion[]>([blank(1)]);
  const create = useMutation({
    mutationFn: () =>
      api<SurveyTemplate>('/surveys/templates', { method: 'POST', body: { siteId, name, title, intro, questions: questions.map(toQuestion) } }),
    onSuccess: () => {
      setName('');
      setTitle({ fr: '', en: '' });
      setIntro({ fr: '', en: '' });
      setQuestions([blank(1)]);
      void queryClient.invalidateQueries({ queryKey: ['survey-templates', siteId] });
    },
  });
  const update = (index: number, change: Partial<DraftQuestion>) =>
    setQuestions((current) => current.map((q, i) => (i === index ? { ...q, ...change } : q)));

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="template-create">
      <Title order={3} size="h4" id="template-create" mb="xs">
        {t('surveys.templates.create')}
      </Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Stack gap="sm">
          <TextInput label={t('surveys.templates.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} required />
          <Group grow>
            <TextInput label={t('surveys.templates.titleFr')} value={title.fr} onChange={(e) => setTitle({ ...title, fr: e.currentTarget.value })} required />
            <TextInput label={t('surveys.templates.titleEn')} value={title.en} onChange={(e) => setTitle({ ...title, en: e.currentTarget.value })} required />
          </Group>
          <Group grow>
            <Textarea label={t('surveys.templates.introFr')} value={intro.fr} onChange={(e) => setIntro({ ...intro, fr: e.currentTarget.value })} />
            <Textarea label={t('surveys.templates.introEn')} value={intro.en} onChange={(e) => setIntro({ ...intro, en: e.currentTarget.value })} />
          </Group>
          {questions.map((q, index) => (
            <Fieldset key={index} legend={t('surveys.templates.question', { n: index + 1 })}>
              <Stack gap="xs">
                <Group grow align="end">
                  <TextInput label={t('surveys.templates.key')} value={q.key} onChange={(e) => update(index, { key: e.currentTarget.value })} required />
                  <NativeSelect
                    label={t('surveys.templates.type')}
                    value={q.type}
                    onChange={(e) => {
                      const type = e.currentTarget.value as QuestionType;
                      update(index, { type, required: type !== 'text' });
                    }}
                    data={TYPES.map((type) => ({ value: type, label: t(`surveys.templates.types.${type}`) }))}
                  />
                  <ActionIcon
                    variant="default"
                    size="lg"
                    aria-label={t('surveys.templates.removeQuestion', { n: index + 1 })}
                    disabled={questions.length === 1}
                    onClick={() => setQuestions((current) => current.filter((_, i) => i !== index))}
                  >
                    ×
                  </ActionIcon>
                </Group>
                <Group grow>
                  <TextInput label={t('surveys.templates.labelFr')} value={q.labelFr} onChange={(e) => update(index, { labelFr: e.currentTarget.value })} required />
                  <TextInput label={t('surveys.templates.labelEn')} value={q.labelEn} onChange={(e) => update(index, { labelEn: e.currentTarget.value })} required />
                </Group>
                <Checkbox label={t('surveys.templates.required')} checked={q.required} onChange={(e) => update(index, { required: e.currentTarget.checked })} />
                {q.type === 'choice' && (
                  <>
                    <Textarea
                      label={t('surveys.templates.options')}
                      value={q.options}
                      onChange={(e) => update(index, { options: e.currentTarget.value })}
                      autosize
                      minRows={3}
                      placeholder={'waiting | Attente | Waiting\nwelcome | Accueil | Welcome'}
                    />
                    <Checkbox label={t('surveys.templates.multiple')} checked={q.multiple} onChange={(e) => update(index, { multiple: e.currentTarget.checked })} />
                    <Checkbox label={t('surveys.templates.reasons')} checked={q.reasons} onChange={(e) => update(index, { reasons: e.currentTarget.checked })} />
                  </>
                )}
                {q.type === 'scale' && (
                  <Group grow>
                    <NumberInput label={t('surveys.templates.min')} min={0} max={9} value={q.min} onChange={(v) => update(index, { min: Number(v) })} />
                    <NumberInput label={t('surveys.templates.max')} min={1} max={10} value={q.max} onChange={(v) => update(index, { max: Number(v) })} />
                  </Group>
                )}
              </Stack>
            </Fieldset>
          ))}
          <Group>
            <Button variant="default" onClick={() => setQuestions((current) => [...current, blank(current.length + 1)])}>
              {t('surveys.templates.addQuestion')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('surveys.templates.submit')}
            </Button>
          </Group>
          <div aria-live="polite">{create.isSuccess && t('surveys.templates.created')}</div>
          <ProblemAlert error={create.error} />
        </Stack>
      </form>
    </Paper>
  );
}
