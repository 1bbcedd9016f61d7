import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { NotFoundError, ValidationError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { assertSiteAccess } from '../identity/site-access';
import type { Emit } from '../live/live-events.service';
import { LiveEvents } from '../live/live-events.service';
import { rooms } from '@guichet/live/rooms';
import { DEFAULT_SURVEY_SETTINGS, SurveyLanguage, surveyLanguage } from './survey-policy';
import { LocalizedText, ParsedAnswers, parseAnswers, SurveyQuestion } from './survey-template';
import { hashSecret, looksLikeToken, newSecret, secretMatches } from './survey-tokens';
import { SurveyAlreadyAnsweredError, SurveyEditClosedError, SurveyLinkExpiredError } from './surveys.errors';

/** A survey as its public page shows it: texts in the invitation's language only, no personal data. */
export interface PublicSurveyView {
  language: SurveyLanguage;
  siteName: string;
  title: string;
  intro: string;
  questions: PublicQuestion[];
  expiresAt: Date;
  /** Present when the caller gave a valid edit key within the correction window. */
  answers?: Record<string, unknown>;
  editableUntil?: Date;
}

export interface PublicQuestion {
  key: string;
  type: SurveyQuestion['type'];
  label: string;
  required: boolean;
  options?: { value: string; label: string }[];
  multiple?: boolean;
  min?: number;
  max?: number;
}

export interface SubmittedAnswer {
  responseId: string;
  /** Lets the same browser correct the answer until `editableUntil`; shown once, stored hashed. */
  editKey: string;
  editableUntil: Date;
}

interface InvitationRow {
  id: string;
  site_id: string;
  site_name: string;
  template_id: string;
  interaction_kind: string;
  interaction_id: string;
  visitor_id: string | null;
  service_id: string | null;
  agent_user_id: string | null;
  channel: string;
  language: SurveyLanguage;
  expires_at: Date;
  answered_at: Date | null;
  expired: boolean;
  title: LocalizedText;
  intro: LocalizedText;
  questions: SurveyQuestion[];
  edit_window_minutes: number;
}

export const KIOSK_SMILEY_KEY = 'csat';

/**
 * The public side of surveys: the page behind `/s/{token}` (single use, expiring, no login), its
 * answer and its short correction window, and the kiosk smiley rating. Every answer copies the
 * interaction's service, agent and channel, so figures never depend on the interaction later.
 */
@Injectable()
export class SurveyAnswersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly live: LiveEvents,
  ) {}

  async view(token: string, editKey?: string): Promise<PublicSurveyView> {
    const invitation = await this.findInvitation(this.dataSource.manager, token, false);
    let current: { answers: Record<string, unknown>; editable_until: Date } | undefined;
    if (invitation.answered_at) {
      const response = editKey ? await this.editableResponse(this.dataSource.manager, invitation.id, editKey, false) : undefined;
      if (!response) throw new SurveyAlreadyAnsweredError();
      current = response;
    } else if (invitation.expired) {
      throw new SurveyLinkExpiredError();
    }
    const lang = invitation.language;
    return {
      language: lang,
      siteName: invitation.site_name,
      title: invitation.title[lang],
      intro: invitation.intro[lang],
      expiresAt: invitation.expires_at,
      questions: invitation.questions.map((q) => ({
        key: q.key,
        type: q.type,
        label: q.label[lang],
        required: q.required,
        ...(q.options && { options: q.options.map((o) => ({ value: o.value, label: o.label[lang] })), multiple: q.multiple === true }),
        ...(q.type === 'scale' && { min: q.min, max: q.max }),
      })),
      ...(current && { answers: current.answers, editableUntil: current.editable_until }),
    };
  }

  /** First answer: 409 if already answered, 410 if expired, 404 if the token is unknown, 400 on bad answers. */
  async answer(token: string, input: unknown): Promise<SubmittedAnswer> {
    return this.live.transaction(async (manager, emit) => {
      const invitation = await this.findInvitation(manager, token, true);
      if (invitation.answered_at) throw new SurveyAlreadyAnsweredError();
      if (invitation.expired) throw new SurveyLinkExpiredError();
      const parsed = parseAnswers(invitation.questions, input);
      const editKey = newSecret();
      const [response] = (await manager.query(
        `INSERT INTO survey_responses (site_id, invitation_id, template_id, source, interaction_kind, interaction_id, visitor_id,
                                       service_id, agent_user_id, channel, language, csat, nps, answers, comment, reason_tags,
                                       edit_key_hash, editable_until)
         VALUES ($1, $2, $3, 'link', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, now() + make_interval(mins => $17))
         RETURNING id, editable_until`,
        [
          invitation.site_id,
          invitation.id,
          invitation.template_id,
          invitation.interaction_kind,
          invitation.interaction_id,
          invitation.visitor_id,
          invitation.service_id,
          invitation.agent_user_id,
          invitation.channel,
          invitation.language,
          parsed.csat,
          parsed.nps,
          parsed.answers,
          parsed.comment,
          parsed.reasonTags,
          hashSecret(editKey),
          invitation.edit_window_minutes,
        ],
      )) as { id: string; editable_until: Date }[];
      await manager.query(`UPDATE survey_invitations SET answered_at = now() WHERE id = $1`, [invitation.id]);
      this.announce(emit, invitation.site_id, response.id, 'link', parsed);
      return { responseId: response.id, editKey, editableUntil: response.editable_until };
    });
  }

  /** Correction within the window, with the edit key the first answer returned; supervisors' tags are kept. */
  async correct(token: string, editKey: string, input: unknown): Promise<{ responseId: string; editableUntil: Date }> {
    return this.live.transaction(async (manager, emit) => {
      const invitation = await this.findInvitation(manager, token, true);
      if (!invitation.answered_at) throw new NotFoundError('SurveyResponse');
      const response = await this.editableResponse(manager, invitation.id, editKey, true);
      if (!response) throw new SurveyEditClosedError();
      const parsed = parseAnswers(invitation.questions, input);
      // Reason tags from the template's reason questions are replaced; tags a supervisor added stay.
      await manager.query(
        `UPDATE survey_responses SET csat = $2, nps = $3, answers = $4, comment = $5,
                reason_tags = ARRAY(SELECT DISTINCT t FROM unnest(array_cat($6::text[],
                  ARRAY(SELECT x FROM unnest(reason_tags) x WHERE x <> ALL($7::text[])))) t ORDER BY t),
                updated_at = now(), version = version + 1
          WHERE id = $1`,
        [response.id, parsed.csat, parsed.nps, parsed.answers, parsed.comment, parsed.reasonTags, this.reasonOptions(invitation.questions)],
      );
      this.announce(emit, invitation.site_id, response.id, 'link', parsed);
      return { responseId: response.id, editableUntil: response.editable_until };
    });
  }

  /**
   * A kiosk smiley (1–5) after service, stored as a CSAT answer; tied to the ticket when its number
   * is given (then once per ticket: a second rating is 409).
   */
  async kioskRating(
    principal: Principal,
    input: { siteId: string; score: number; ticketId?: string; ticketNumber?: string; language?: string },
  ): Promise<{ responseId: string }> {
    assertSiteAccess(principal, input.siteId);
    if (!Number.isInteger(input.score) || input.score < 1 || input.score > 5) {
      throw new ValidationError('Invalid score', [{ field: 'score', message: 'score must be an integer from 1 to 5' }]);
    }
    return this.live.transaction(async (manager, emit) => {
      let ticket: { id: string; visitor_id: string | null; agent_user_id: string | null; channel: string; service_id: string } | undefined;
      if (input.ticketId || input.ticketNumber) {
        // By number: today's served ticket of the site (numbers restart every business day).
        [ticket] = (await manager.query(
          `SELECT t.id, t.visitor_id, t.agent_user_id, t.channel, q.service_id
             FROM tickets t JOIN queues q ON q.id = t.queue_id JOIN sites s ON s.id = t.site_id
            WHERE t.site_id = $1 AND t.status = 'done'
              AND ($2::uuid IS NULL OR t.id = $2)
              AND ($3::text IS NULL OR (t.number = $3 AND t.business_day = (now() AT TIME ZONE s.time_zone)::date))
            ORDER BY t.ended_at DESC LIMIT 1`,
          [input.siteId, input.ticketId ?? null, input.ticketNumber ? input.ticketNumber.replace('-', '').toUpperCase() : null],
        )) as (typeof ticket & object)[];
        if (!ticket) throw new NotFoundError('Ticket', input.ticketId ?? input.ticketNumber);
      }
      const [settings] = (await manager.query(`SELECT kiosk_template_id FROM survey_settings WHERE site_id = $1`, [input.siteId])) as {
        kiosk_template_id: string | null;
      }[];
      const [response] = (await manager.query(
        `INSERT INTO survey_responses (site_id, template_id, source, interaction_kind, interaction_id, visitor_id, service_id,
                                       agent_user_id, channel, language, csat, answers)
         VALUES ($1, $2, 'kiosk', $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (interaction_id) WHERE source = 'kiosk' AND interaction_id IS NOT NULL DO NOTHING
         RETURNING id`,
        [
          input.siteId,
          settings?.kiosk_template_id ?? null,
          ticket ? 'ticket' : null,
          ticket?.id ?? null,
          ticket?.visitor_id ?? null,
          ticket?.service_id ?? null,
          ticket?.agent_user_id ?? null,
          ticket?.channel ?? 'kiosk',
          surveyLanguage(input.language),
          input.score,
          { [KIOSK_SMILEY_KEY]: input.score },
        ],
      )) as { id: string }[];
      if (!response) throw new SurveyAlreadyAnsweredError();
      this.announce(emit, input.siteId, response.id, 'kiosk', { csat: input.score, nps: null });
      return { responseId: response.id };
    });
  }

  private async findInvitation(manager: EntityManager, token: string, lock: boolean): Promise<InvitationRow> {
    if (!looksLikeToken(token)) throw new NotFoundError('Survey');
    const [row] = (await manager.query(
      `SELECT i.id, i.site_id, s.name AS site_name, i.template_id, i.interaction_kind, i.interaction_id, i.visitor_id, i.service_id,
              i.agent_user_id, i.channel, i.language, i.expires_at, i.answered_at, i.expires_at <= now() AS expired,
              t.title, t.intro, t.questions, coalesce(ss.edit_window_minutes, $2) AS edit_window_minutes
         FROM survey_invitations i
         JOIN sites s ON s.id = i.site_id
         JOIN survey_templates t ON t.id = i.template_id
         LEFT JOIN survey_settings ss ON ss.site_id = i.site_id
        WHERE i.token_hash = $1${lock ? ' FOR UPDATE OF i' : ''}`,
      [hashSecret(token), DEFAULT_SURVEY_SETTINGS.editWindowMinutes],
    )) as InvitationRow[];
    if (!row) throw new NotFoundError('Survey');
    return row;
  }

  private async editableResponse(
    manager: EntityManager,
    invitationId: string,
    editKey: string,
    lock: boolean,
  ): Promise<{ id: string; answers: Record<string, unknown>; editable_until: Date } | undefined> {
    const [row] = (await manager.query(
      `SELECT id, answers, editable_until, edit_key_hash, editable_until > now() AS open
         FROM survey_responses WHERE invitation_id = $1${lock ? ' FOR UPDATE' : ''}`,
      [invitationId],
    )) as { id: string; answers: Record<string, unknown>; editable_until: Date; edit_key_hash: string | null; open: boolean }[];
    if (!row || !row.open || !secretMatches(editKey, row.edit_key_hash)) return undefined;
    return row;
  }

  private reasonOptions(questions: SurveyQuestion[]): string[] {
    return questions.filter((q) => q.reasons).flatMap((q) => (q.options ?? []).map((o) => o.value));
  }

  private announce(emit: Emit, siteId: string, responseId: string, source: 'link' | 'kiosk', parsed: Pick<ParsedAnswers, 'csat' | 'nps'>): void {
    emit(siteId, 'survey.answered', { responseId, source, csat: parsed.csat, nps: parsed.nps }, [rooms.supervisors(siteId)], { private: true });
  }
}
