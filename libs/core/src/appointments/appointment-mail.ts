import { DateTime } from 'luxon';
import type { PostalAddress } from '../organisation/site.entity';

export interface AppointmentMailData {
  kind: 'confirmation' | 'reminder';
  contactName: string;
  startsAt: Date;
  timeZone: string;
  siteName: string;
  siteAddress: PostalAddress | null;
  queueName: string;
  checkInCode: string;
  earlyMinutes: number;
  lateMinutes: number;
  publicUrl: string;
}

/**
 * The confirmation and reminder mails, French first with an English summary below (the visitor's
 * language is not known at booking). Times are written in the site's zone, where the visitor goes.
 */
export function renderAppointmentMail(data: AppointmentMailData): { subject: string; text: string } {
  const local = DateTime.fromJSDate(data.startsAt, { zone: data.timeZone });
  const fr = local.setLocale('fr').toFormat("cccc d LLLL yyyy 'à' HH'h'mm");
  const en = local.setLocale('en-GB').toFormat("cccc d LLLL yyyy 'at' HH:mm");
  const place = [data.siteName, formatAddress(data.siteAddress)].filter(Boolean).join(', ');
  const confirmation = data.kind === 'confirmation';
  const subject = confirmation
    ? `Rendez-vous confirmé le ${fr} / Appointment confirmed`
    : `Rappel : rendez-vous le ${fr} / Reminder`;
  const text = [
    `Bonjour ${data.contactName},`,
    '',
    confirmation ? 'Votre rendez-vous est confirmé.' : 'Nous vous rappelons votre rendez-vous.',
    '',
    `Date : ${fr} (heure locale, ${data.timeZone})`,
    `Lieu : ${place}`,
    `Service : ${data.queueName}`,
    `Code d'enregistrement : ${data.checkInCode}`,
    '',
    `À votre arrivée, saisissez ce code sur la borne d'accueil ou donnez-le à l'agent d'accueil.`,
    `Vous pouvez vous enregistrer jusqu'à ${data.earlyMinutes} minutes avant l'heure ; au-delà de ${data.lateMinutes} minutes de retard, vous serez reçu(e) sans priorité.`,
    '',
    `Guichet : ${data.publicUrl}`,
    '',
    '---',
    '',
    `Hello ${data.contactName}, ${confirmation ? 'your appointment is confirmed' : 'this is a reminder of your appointment'}: ` +
      `${en} (local time, ${data.timeZone}), ${place}, ${data.queueName}. ` +
      `Check-in code: ${data.checkInCode}. Enter it at the reception kiosk or give it to the reception staff ` +
      `(from ${data.earlyMinutes} minutes before; more than ${data.lateMinutes} minutes late, you will be seen without priority).`,
    '',
  ].join('\n');
  return { subject, text };
}

function formatAddress(address: PostalAddress | null): string {
  if (!address) return '';
  const city = [address.postalCode, address.city].filter(Boolean).join(' ');
  return [address.street, city, address.country].filter(Boolean).join(', ');
}

/** The reminder goes out this long before the appointment… */
export const REMINDER_LEAD_MS = 24 * 3600_000;
/** …and not at all when the appointment is closer than this (the confirmation is enough). */
export const REMINDER_MIN_NOTICE_MS = 2 * 3600_000;

/** Milliseconds to wait before sending the reminder, or null when none should be sent. */
export function reminderDelay(startsAt: Date, now: Date): number | null {
  const untilStart = startsAt.getTime() - now.getTime();
  if (untilStart < REMINDER_MIN_NOTICE_MS) return null;
  return Math.max(0, untilStart - REMINDER_LEAD_MS);
}
