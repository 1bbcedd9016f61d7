import { ValidationError } from '../errors/domain-error';
import { percent, round1, withRates } from './survey-figures';
import { parseAnswers, parseTemplate } from './survey-template';
import { rankThemes, themesOf } from './survey-themes';

const questions = parseTemplate({
  name: 'T',
  title: { fr: 'Titre', en: 'Title' },
  questions: [
    { key: 'sat', type: 'csat', label: { fr: 'Satisfait ?', en: 'Satisfied?' } },
    { key: 'rec', type: 'nps', label: { fr: 'Recommander ?', en: 'Recommend?' }, required: false },
    {
      key: 'why',
      type: 'choice',
      multiple: true,
      reasons: true,
      required: false,
      label: { fr: 'Pourquoi ?', en: 'Why?' },
      options: [
        { value: 'waiting', label: { fr: 'Attente', en: 'Waiting' } },
        { value: 'welcome', label: { fr: 'Accueil', en: 'Welcome' } },
      ],
    },
    { key: 'note', type: 'text', label: { fr: 'Commentaire', en: 'Comment' } },
  ],
}).questions;

function fields(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return (error.errors ?? []).map((e) => e.field);
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('survey templates', () => {
  it('requires both languages everywhere and sane questions', () => {
    expect(fields(() => parseTemplate({ name: 'x', title: { fr: 'a' }, questions: [] }))).toEqual(['title.en', 'questions']);
    expect(
      fields(() =>
        parseTemplate({
          name: 'x',
          title: { fr: 'a', en: 'b' },
          questions: [
            { key: 'a', type: 'csat', label: { fr: 'a', en: 'a' } },
            { key: 'a', type: 'csat', label: { fr: 'a', en: '' } },
            { key: 'c', type: 'choice', label: { fr: 'c', en: 'c' }, options: [{ value: 'only', label: { fr: 'o', en: 'o' } }] },
          ],
        }),
      ),
    ).toEqual(['questions[1].key', 'questions[1].type', 'questions[1].label.en', 'questions[2].options']);
  });

  it('defaults text questions to optional and others to required', () => {
    expect(questions.map((q) => q.required)).toEqual([true, false, false, false]);
  });
});

describe('survey answers', () => {
  it('checks every answer against its question', () => {
    expect(fields(() => parseAnswers(questions, { sat: 0, rec: 11, why: ['parking'], extra: 1 }))).toEqual([
      'answers.extra',
      'answers.sat',
      'answers.rec',
      'answers.why',
    ]);
    expect(fields(() => parseAnswers(questions, { rec: 5 }))).toEqual(['answers.sat']);
    expect(fields(() => parseAnswers(questions, { sat: 2.5 }))).toEqual(['answers.sat']);
  });

  it('extracts scores, reason tags and comment', () => {
    expect(parseAnswers(questions, { sat: 2, rec: 0, why: ['waiting', 'welcome'], note: '  trop long  ' })).toEqual({
      answers: { sat: 2, rec: 0, why: ['waiting', 'welcome'], note: 'trop long' },
      csat: 2,
      nps: 0,
      comment: 'trop long',
      reasonTags: ['waiting', 'welcome'],
    });
  });
});

describe('satisfaction figures', () => {
  it('rounds half away from zero to one decimal', () => {
    expect(round1(12.25)).toBe(12.3);
    expect(round1(-12.25)).toBe(-12.3);
    expect(percent(2, 3)).toBe(66.7);
    expect(percent(1, 0)).toBeNull();
  });

  it('computes NPS as promoters minus detractors', () => {
    const row = withRates('k', null, { responses: 7, csatAnswers: 0, satisfied: 0, npsAnswers: 7, promoters: 2, detractors: 5, sent: 0, answered: 0 });
    expect(row.nps).toBe(-42.9);
    expect(row.csat).toBeNull();
  });
});

describe('comment themes', () => {
  it('finds themes by keyword prefixes, accents ignored', () => {
    expect(themesOf("L'ATTENTE était interminable et l'accueil désagréable")).toEqual(['waiting', 'welcome']);
    expect(themesOf('Impossible de vous joindre par téléphone')).toEqual(['phone']);
    expect(themesOf('Parfait')).toEqual([]);
  });

  it('ranks themes by number of comments', () => {
    expect(rankThemes(['attente', 'waiting too long', 'accueil', 'attendu une heure'])).toEqual([
      { theme: 'waiting', count: 3 },
      { theme: 'welcome', count: 1 },
    ]);
  });
});
