import { renderSurveyMail } from './survey-mail';
import { surveyLanguage } from './survey-policy';

describe('survey invitation mail', () => {
  const base = {
    siteName: 'Mairie de Saint-Aubin',
    title: 'Votre avis',
    intro: '',
    link: 'https://guichet.example/s/abc',
    expiresAt: new Date('2026-12-01T15:00:00Z'),
    timeZone: 'Europe/Paris',
  };

  it('speaks the invitation language, with the link alone on its line and the local expiry', () => {
    const fr = renderSurveyMail({ ...base, language: 'fr' });
    expect(fr.subject).toBe('Mairie de Saint-Aubin : votre avis sur votre passage');
    expect(fr.text).toContain('\nhttps://guichet.example/s/abc\n');
    expect(fr.text).toContain('16:00');
    const en = renderSurveyMail({ ...base, language: 'en', title: 'Your opinion' });
    expect(en.subject).toBe('Mairie de Saint-Aubin: how was your visit?');
    expect(en.text).toContain('Your opinion');
    expect(en.text).toMatch(/4:00\s?PM/);
  });

  it('uses the visitor language when it is one of the survey languages, French otherwise', () => {
    expect(surveyLanguage('en-GB')).toBe('en');
    expect(surveyLanguage('EN')).toBe('en');
    expect(surveyLanguage('ar')).toBe('fr');
    expect(surveyLanguage(null)).toBe('fr');
  });
});
