import { AppointmentMailData, reminderDelay, renderAppointmentMail } from './appointment-mail';

const data: AppointmentMailData = {
  kind: 'confirmation',
  contactName: 'Camille Martin',
  startsAt: new Date('2026-07-07T12:30:00Z'),
  timeZone: 'Europe/Paris',
  siteName: 'Mairie annexe',
  siteAddress: { street: '3 rue de la Paix', postalCode: '75002', city: 'Paris', country: null },
  queueName: 'État civil',
  checkInCode: 'K7M2QX',
  earlyMinutes: 30,
  lateMinutes: 10,
  publicUrl: 'https://guichet.example.org',
};

describe('appointment mails', () => {
  it('write the time in the site’s zone, the place, the code and the link, in French then English', () => {
    const mail = renderAppointmentMail(data);
    expect(mail.subject).toBe('Rendez-vous confirmé le mardi 7 juillet 2026 à 14h30 / Appointment confirmed');
    expect(mail.text).toContain('Date : mardi 7 juillet 2026 à 14h30 (heure locale, Europe/Paris)');
    expect(mail.text).toContain('Lieu : Mairie annexe, 3 rue de la Paix, 75002 Paris');
    expect(mail.text).toContain("Code d'enregistrement : K7M2QX");
    expect(mail.text).toContain('Guichet : https://guichet.example.org');
    expect(mail.text).toContain('your appointment is confirmed: Tuesday 7 July 2026 at 14:30 (local time, Europe/Paris)');
    expect(mail.text.indexOf('Bonjour')).toBeLessThan(mail.text.indexOf('Hello'));
  });

  it('say when it is a reminder, and cope with a site without address', () => {
    const mail = renderAppointmentMail({ ...data, kind: 'reminder', siteAddress: null, timeZone: 'America/Montreal' });
    expect(mail.subject).toBe('Rappel : rendez-vous le mardi 7 juillet 2026 à 08h30 / Reminder');
    expect(mail.text).toContain('Lieu : Mairie annexe\n');
    expect(mail.text).toContain('this is a reminder of your appointment');
  });
});

describe('reminder timing', () => {
  const now = new Date('2026-12-01T10:00:00Z');
  const inHours = (h: number) => new Date(now.getTime() + h * 3600_000);

  it('waits until 24 hours before the appointment', () => {
    expect(reminderDelay(inHours(72), now)).toBe(48 * 3600_000);
  });

  it('sends at once when the appointment is between 2 and 24 hours away', () => {
    expect(reminderDelay(inHours(24), now)).toBe(0);
    expect(reminderDelay(inHours(2), now)).toBe(0);
  });

  it('sends none when the appointment is less than 2 hours away', () => {
    expect(reminderDelay(inHours(1.99), now)).toBeNull();
  });
});
