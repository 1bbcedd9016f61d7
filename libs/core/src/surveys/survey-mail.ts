import { DateTime } from 'luxon';
import type { SurveyLanguage } from './survey-policy';

export interface SurveyMailInput {
  language: SurveyLanguage;
  siteName: string;
  title: string;
  intro: string;
  link: string;
  expiresAt: Date;
  timeZone: string;
}

/** Plain-text invitation in the visitor's language; the link is alone on its line so phones make it tappable. */
export function renderSurveyMail(input: SurveyMailInput): { subject: string; text: string } {
  const until = DateTime.fromJSDate(input.expiresAt, { zone: input.timeZone })
    .setLocale(input.language)
    .toLocaleString(DateTime.DATETIME_MED);
  const intro = input.intro ? `${input.intro}\n\n` : '';
  if (input.language === 'en') {
    return {
      subject: `${input.siteName}: how was your visit?`,
      text:
        `Hello,\n\n${input.title}\n\n${intro}It takes one minute:\n${input.link}\n\n` +
        `This personal link works once and until ${until}. You can correct your answer for a few minutes after sending it.\n\n` +
        `${input.siteName}\n\nYou receive this message because you agreed to be asked for your opinion. Just ignore it if you prefer not to answer.`,
    };
  }
  return {
    subject: `${input.siteName} : votre avis sur votre passage`,
    text:
      `Bonjour,\n\n${input.title}\n\n${intro}Cela prend une minute :\n${input.link}\n\n` +
      `Ce lien personnel ne sert qu'une fois et reste valable jusqu'au ${until}. Vous pourrez corriger votre réponse quelques minutes après l'envoi.\n\n` +
      `${input.siteName}\n\nVous recevez ce message parce que vous avez accepté d'être sollicité(e) pour donner votre avis. Ignorez-le simplement si vous ne souhaitez pas répondre.`,
  };
}
