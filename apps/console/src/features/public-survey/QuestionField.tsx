import { Checkbox, Group, Radio, Stack, Text, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PublicQuestion } from '../surveys/types';

export type AnswerValue = number | string | string[] | undefined;

/** Unicode 6 faces: also drawn by DejaVu Sans where no emoji font is installed. */
const CSAT_FACES = ['😞', '😟', '😐', '😊', '😄'];

function range(min: number, max: number): number[] {
  return Array.from({ length: max - min + 1 }, (_, i) => min + i);
}

/**
 * One question of the public survey. Every scale is a group of radio buttons with a visible
 * label (the smileys are decorative: the words say the score), large enough for a thumb.
 */
export function QuestionField({
  question,
  value,
  error,
  onChange,
}: {
  question: PublicQuestion;
  value: AnswerValue;
  error?: string;
  onChange(value: AnswerValue): void;
}) {
  const { t } = useTranslation();
  const label = `${question.label} (${question.required ? t('surveys.public.required') : t('surveys.public.optional')})`;
  const numeric = (v: string) => onChange(Number(v));

  switch (question.type) {
    case 'csat':
      return (
        <Radio.Group name={question.key} label={label} value={value === undefined ? '' : String(value)} onChange={numeric} error={error}>
          <Stack gap={6} mt="xs">
            {range(1, 5).map((score) => (
              <Radio
                key={score}
                value={String(score)}
                size="md"
                label={
                  <Text span>
                    <span aria-hidden="true">{CSAT_FACES[score - 1]} </span>
                    {score} – {t(`surveys.public.csat.${score}`)}
                  </Text>
                }
              />
            ))}
          </Stack>
        </Radio.Group>
      );
    case 'nps':
    case 'scale': {
      const [min, max] = question.type === 'nps' ? [0, 10] : [question.min ?? 0, question.max ?? 10];
      return (
        <Radio.Group
          name={question.key}
          label={label}
          description={question.type === 'nps' ? `${t('surveys.public.npsLow')} · ${t('surveys.public.npsHigh')}` : `${min} – ${max}`}
          value={value === undefined ? '' : String(value)}
          onChange={numeric}
          error={error}
        >
          <Group gap={6} mt="xs">
            {range(min, max).map((score) => (
              <Radio key={score} value={String(score)} size="md" label={String(score)} />
            ))}
          </Group>
        </Radio.Group>
      );
    }
    case 'choice':
      if (question.multiple) {
        const picked = Array.isArray(value) ? value : [];
        return (
          <Checkbox.Group label={label} value={picked} onChange={(v) => onChange(v)} error={error}>
            <Stack gap={6} mt="xs">
              {(question.options ?? []).map((o) => (
                <Checkbox key={o.value} value={o.value} label={o.label} size="md" />
              ))}
            </Stack>
          </Checkbox.Group>
        );
      }
      return (
        <Radio.Group name={question.key} label={label} value={typeof value === 'string' ? value : ''} onChange={(v) => onChange(v)} error={error}>
          <Stack gap={6} mt="xs">
            {(question.options ?? []).map((o) => (
              <Radio key={o.value} value={o.value} label={o.label} size="md" />
            ))}
          </Stack>
        </Radio.Group>
      );
    case 'text':
      return (
        <Textarea
          label={label}
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.currentTarget.value)}
          autosize
          minRows={3}
          maxLength={2000}
          error={error}
        />
      );
  }
}
