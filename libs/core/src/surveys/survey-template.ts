import { FieldError, ValidationError } from '../errors/domain-error';
import { SURVEY_LANGUAGES, SurveyLanguage } from './survey-policy';

export const QUESTION_TYPES = ['csat', 'nps', 'choice', 'scale', 'text'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** Text in every survey language; templates are refused unless both are filled. */
export type LocalizedText = Record<SurveyLanguage, string>;

export interface SurveyQuestion {
  /** Stable key of the answer (`[a-z][a-z0-9_]*`), unique in the template. */
  key: string;
  type: QuestionType;
  label: LocalizedText;
  required: boolean;
  /** choice only. */
  options?: { value: string; label: LocalizedText }[];
  /** choice only: several options may be picked. */
  multiple?: boolean;
  /**
   * choice only: the picked options are reasons of dissatisfaction, copied into the answer's
   * reason tags (ranked in the figures).
   */
  reasons?: boolean;
  /** scale only (bounds included). */
  min?: number;
  max?: number;
}

export interface SurveyTemplateDefinition {
  name: string;
  title: LocalizedText;
  intro: LocalizedText;
  questions: SurveyQuestion[];
}

const KEY = /^[a-z][a-z0-9_]{0,39}$/;
const TAG = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const MAX_QUESTIONS = 20;
const MAX_OPTIONS = 20;
const MAX_LABEL = 300;
export const MAX_TEXT_ANSWER = 2000;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function localized(value: unknown, field: string, errors: FieldError[], opts: { allowEmpty?: boolean } = {}): LocalizedText {
  const out = { fr: '', en: '' };
  if (!isObject(value)) {
    errors.push({ field, message: `${field} must give a text for each language (fr, en)` });
    return out;
  }
  for (const key of Object.keys(value)) {
    if (!(SURVEY_LANGUAGES as readonly string[]).includes(key)) errors.push({ field: `${field}.${key}`, message: `unknown language ${key}` });
  }
  for (const lang of SURVEY_LANGUAGES) {
    const text = value[lang];
    if (typeof text !== 'string' || (!opts.allowEmpty && text.trim() === '')) {
      errors.push({ field: `${field}.${lang}`, message: `${field}.${lang} must be a non-empty text` });
    } else if (text.length > MAX_LABEL * 4) {
      errors.push({ field: `${field}.${lang}`, message: `${field}.${lang} is too long` });
    } else {
      out[lang] = text.trim();
    }
  }
  return out;
}

/** Checks and normalises a template as sent by a client; 400 with one entry per problem. */
export function parseTemplate(input: { name?: unknown; title?: unknown; intro?: unknown; questions?: unknown }): SurveyTemplateDefinition {
  const errors: FieldError[] = [];
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (!name || name.length > 120) errors.push({ field: 'name', message: 'name must be a text of 1 to 120 characters' });
  const title = localized(input.title, 'title', errors);
  const intro = input.intro === undefined ? { fr: '', en: '' } : localized(input.intro, 'intro', errors, { allowEmpty: true });
  const questions: SurveyQuestion[] = [];
  if (!Array.isArray(input.questions) || input.questions.length === 0 || input.questions.length > MAX_QUESTIONS) {
    errors.push({ field: 'questions', message: `questions must list 1 to ${MAX_QUESTIONS} questions` });
  } else {
    const keys = new Set<string>();
    const singles = new Set<string>();
    input.questions.forEach((raw: unknown, index) => {
      const at = `questions[${index}]`;
      if (!isObject(raw)) {
        errors.push({ field: at, message: 'a question must be an object' });
        return;
      }
      const key = raw.key;
      const type = raw.type as QuestionType;
      if (typeof key !== 'string' || !KEY.test(key)) errors.push({ field: `${at}.key`, message: 'key must match [a-z][a-z0-9_]*' });
      else if (keys.has(key)) errors.push({ field: `${at}.key`, message: `duplicate key ${key}` });
      else keys.add(key);
      if (!QUESTION_TYPES.includes(type)) {
        errors.push({ field: `${at}.type`, message: `type must be one of ${QUESTION_TYPES.join(', ')}` });
        return;
      }
      if ((type === 'csat' || type === 'nps') && singles.has(type)) errors.push({ field: `${at}.type`, message: `at most one ${type} question` });
      singles.add(type);
      const question: SurveyQuestion = {
        key: String(key),
        type,
        label: localized(raw.label, `${at}.label`, errors),
        required: raw.required === undefined ? type !== 'text' : raw.required === true,
      };
      if (raw.required !== undefined && typeof raw.required !== 'boolean') errors.push({ field: `${at}.required`, message: 'required must be a boolean' });
      if (type === 'choice') {
        const options = raw.options;
        if (!Array.isArray(options) || options.length < 2 || options.length > MAX_OPTIONS) {
          errors.push({ field: `${at}.options`, message: `a choice needs 2 to ${MAX_OPTIONS} options` });
        } else {
          const values = new Set<string>();
          question.options = options.map((option: unknown, o) => {
            const value = isObject(option) ? option.value : undefined;
            if (typeof value !== 'string' || !TAG.test(value)) errors.push({ field: `${at}.options[${o}].value`, message: 'value must match [a-z0-9][a-z0-9_-]*' });
            else if (values.has(value)) errors.push({ field: `${at}.options[${o}].value`, message: `duplicate value ${value}` });
            else values.add(value);
            return { value: String(value), label: localized(isObject(option) ? option.label : undefined, `${at}.options[${o}].label`, errors) };
          });
        }
        question.multiple = raw.multiple === true;
        question.reasons = raw.reasons === true;
      } else if (raw.options !== undefined || raw.multiple !== undefined || raw.reasons !== undefined) {
        errors.push({ field: `${at}.options`, message: 'options, multiple and reasons are for choice questions' });
      }
      if (type === 'scale') {
        const { min, max } = raw;
        if (!Number.isInteger(min) || !Number.isInteger(max) || (min as number) < 0 || (max as number) > 10 || (min as number) >= (max as number)) {
          errors.push({ field: `${at}.min`, message: 'a scale needs integer bounds with 0 <= min < max <= 10' });
        } else {
          question.min = min as number;
          question.max = max as number;
        }
      } else if (raw.min !== undefined || raw.max !== undefined) {
        errors.push({ field: `${at}.min`, message: 'min and max are for scale questions' });
      }
      questions.push(question);
    });
  }
  if (errors.length) throw new ValidationError(`Invalid survey template: ${[...new Set(errors.map((e) => e.field))].join(', ')}`, errors);
  return { name, title, intro, questions };
}

export type AnswerValue = number | string | string[];

export interface ParsedAnswers {
  answers: Record<string, AnswerValue>;
  csat: number | null;
  nps: number | null;
  /** Text answers joined, for reading and theme extraction. */
  comment: string | null;
  /** Options picked in `reasons` questions. */
  reasonTags: string[];
}

/** Checks answers against the template's questions; 400 listing every problem (unknown key, out of range…). */
export function parseAnswers(questions: SurveyQuestion[], input: unknown): ParsedAnswers {
  const errors: FieldError[] = [];
  const answers: Record<string, AnswerValue> = {};
  const out: ParsedAnswers = { answers, csat: null, nps: null, comment: null, reasonTags: [] };
  if (!isObject(input)) throw new ValidationError('answers must be an object keyed by question', [{ field: 'answers', message: 'answers must be an object' }]);
  const byKey = new Map(questions.map((q) => [q.key, q]));
  for (const key of Object.keys(input)) {
    if (!byKey.has(key)) errors.push({ field: `answers.${key}`, message: `no question ${key} in this survey` });
  }
  const texts: string[] = [];
  for (const question of questions) {
    const field = `answers.${question.key}`;
    const value = input[question.key];
    if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) {
      if (question.required) errors.push({ field, message: 'this question must be answered' });
      continue;
    }
    switch (question.type) {
      case 'csat':
      case 'nps':
      case 'scale': {
        const [min, max] = question.type === 'csat' ? [1, 5] : question.type === 'nps' ? [0, 10] : [question.min ?? 0, question.max ?? 10];
        if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
          errors.push({ field, message: `must be an integer from ${min} to ${max}` });
          break;
        }
        answers[question.key] = value;
        if (question.type === 'csat') out.csat = value;
        if (question.type === 'nps') out.nps = value;
        break;
      }
      case 'choice': {
        const allowed = new Set((question.options ?? []).map((o) => o.value));
        const picked = question.multiple ? value : [value];
        if (!Array.isArray(picked) || picked.some((v) => typeof v !== 'string' || !allowed.has(v)) || new Set(picked).size !== picked.length) {
          errors.push({ field, message: `must be ${question.multiple ? 'a list of distinct options' : 'one option'} among ${[...allowed].join(', ')}` });
          break;
        }
        answers[question.key] = question.multiple ? (picked as string[]) : (value as string);
        if (question.reasons) out.reasonTags.push(...(picked as string[]));
        break;
      }
      case 'text': {
        if (typeof value !== 'string' || value.length > MAX_TEXT_ANSWER) {
          errors.push({ field, message: `must be a text of at most ${MAX_TEXT_ANSWER} characters` });
          break;
        }
        if (value.trim()) {
          answers[question.key] = value.trim();
          texts.push(value.trim());
        }
        break;
      }
    }
  }
  if (errors.length) throw new ValidationError(`Invalid answers: ${[...new Set(errors.map((e) => e.field))].join(', ')}`, errors);
  out.comment = texts.length ? texts.join('\n') : null;
  out.reasonTags = [...new Set(out.reasonTags)];
  return out;
}

export function normalizeTags(tags: unknown): string[] {
  if (!Array.isArray(tags) || tags.length > 20 || tags.some((t) => typeof t !== 'string' || !TAG.test(t.trim().toLowerCase()))) {
    throw new ValidationError('Invalid tags', [{ field: 'tags', message: 'tags must be at most 20 slugs ([a-z0-9][a-z0-9_-]*)' }]);
  }
  return [...new Set((tags as string[]).map((t) => t.trim().toLowerCase()))];
}
