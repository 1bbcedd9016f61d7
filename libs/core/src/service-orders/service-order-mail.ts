import { DateTime } from 'luxon';

export interface FollowupMailData {
  kind: 'reminder_provider' | 'reminder_requester' | 'escalation';
  number: number;
  title: string;
  providerName: string;
  siteName: string;
  status: string;
  dueAt: Date;
  timeZone: string;
  requesterLabel: string;
  /** Link to the order in the console (internal recipients only). */
  orderUrl: string | null;
}

const STATUS_FR: Record<string, string> = {
  submitted: 'envoyée, pas encore acceptée',
  accepted: 'acceptée, pas encore réalisée',
  in_progress: 'en cours de réalisation',
};

/**
 * Follow-up mails of a late service order, in French (the staff's and local providers' language).
 * Times in the site's zone; no personal data beyond the requester's name, which both sides know.
 */
export function renderFollowupMail(data: FollowupMailData): { subject: string; text: string } {
  const due = DateTime.fromJSDate(data.dueAt, { zone: data.timeZone }).setLocale('fr').toFormat("d LLLL yyyy 'à' HH'h'mm");
  const ref = `commande n° ${data.number} « ${data.title} »`;
  const state = STATUS_FR[data.status] ?? data.status;
  const link = data.orderUrl ? ['', `Suivre la commande : ${data.orderUrl}`] : [];
  switch (data.kind) {
    case 'reminder_provider':
      return {
        subject: `Relance : ${ref} en retard`,
        text: [
          'Bonjour,',
          '',
          `La ${ref} de ${data.siteName} (demandée par ${data.requesterLabel}) était attendue pour le ${due} (heure locale).`,
          `Elle est à ce jour ${state}.`,
          '',
          'Merci de nous indiquer où en est la prestation et quand elle sera réalisée.',
        ].join('\n'),
      };
    case 'reminder_requester':
      return {
        subject: `Votre ${ref} est en retard`,
        text: [
          'Bonjour,',
          '',
          `Votre ${ref} auprès de ${data.providerName} était attendue pour le ${due} (heure locale) ; elle est ${state}.`,
          `Le prestataire vient d'être relancé. Sans réponse, la commande sera signalée aux superviseurs de ${data.siteName}.`,
          ...link,
        ].join('\n'),
      };
    case 'escalation':
      return {
        subject: `Escalade : ${ref} (${data.providerName}) toujours en retard`,
        text: [
          'Bonjour,',
          '',
          `La ${ref} de ${data.requesterLabel} auprès de ${data.providerName} était attendue pour le ${due} (heure locale).`,
          `Malgré la relance, elle est toujours ${state}. Merci de reprendre contact avec le prestataire.`,
          ...link,
        ].join('\n'),
      };
  }
}
