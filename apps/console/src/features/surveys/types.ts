/** Survey shapes as the API returns them (apps/api/src/surveys/dto/surveys.dto.ts). */
export type QuestionType = 'csat' | 'nps' | 'choice' | 'scale' | 'text';
export type Localized = { fr: string; en: string };

export interface TemplateQuestion {
  key: string;
  type: QuestionType;
  label: Localized;
  required: boolean;
  options?: { value: string; label: Localized }[];
  multiple?: boolean;
  reasons?: boolean;
  min?: number;
  max?: number;
}

export interface SurveyTemplate {
  id: string;
  siteId: string;
  name: string;
  title: Localized;
  intro: Localized;
  questions: TemplateQuestion[];
  active: boolean;
  version: number;
}

export type SurveyTrigger = 'request_closed' | 'ticket_done' | 'complaint_resolved';

export interface SurveyRule {
  id: string;
  siteId: string;
  trigger: SurveyTrigger;
  channels: string[];
  templateId: string;
  delayMinutes: number;
  active: boolean;
  version: number;
}

export interface SurveySettings {
  siteId: string;
  minDaysBetween: number;
  linkValidHours: number;
  editWindowMinutes: number;
  kioskTemplateId: string | null;
  version: number;
}

export type FigureGroup = 'service' | 'agent' | 'channel' | 'week';

export interface FigureRow {
  key: string | null;
  label: string | null;
  responses: number;
  csatAnswers: number;
  satisfied: number;
  csat: number | null;
  npsAnswers: number;
  promoters: number;
  detractors: number;
  nps: number | null;
  sent: number;
  answered: number;
  responseRate: number | null;
}

export interface SurveyFigures {
  from: string;
  to: string;
  groupBy: FigureGroup;
  total: FigureRow;
  groups: FigureRow[];
}

export interface DissatisfactionReasons {
  dissatisfied: number;
  tags: { tag: string; count: number }[];
  themes: { theme: string; count: number }[];
}

export interface PublicQuestion {
  key: string;
  type: QuestionType;
  label: string;
  required: boolean;
  options?: { value: string; label: string }[];
  multiple?: boolean;
  min?: number;
  max?: number;
}

export interface PublicSurvey {
  language: 'fr' | 'en';
  siteName: string;
  title: string;
  intro: string;
  questions: PublicQuestion[];
  expiresAt: string;
  answers?: Record<string, unknown>;
  editableUntil?: string;
}

export const SURVEY_CHANNELS = ['desk', 'phone', 'email', 'web', 'kiosk', 'mobile'] as const;
