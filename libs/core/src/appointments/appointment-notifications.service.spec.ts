import type { DataSource } from 'typeorm';
import type { AppConfig } from '@guichet/config/app-config';
import type { MailerService } from '../mail/mailer.service';
import { AppointmentNotificationsService } from './appointment-notifications.service';

const ID = '3f2b1c9e-8a7d-4e6f-9b0a-1c2d3e4f5a6b';
const STARTS_AT = new Date('2026-12-01T09:30:00Z');

const claimed = {
  contact_name: 'Camille Martin',
  contact_email: 'camille@example.org',
  starts_at: STARTS_AT,
  check_in_code: 'K7M2QX',
  queue_name: 'État civil',
  early: 30,
  late: 10,
  site_name: 'Mairie',
  site_address: null,
  time_zone: 'Europe/Paris',
};

/** A database that answers the claim with `claim` rows and the skip-reason read with `current`. */
function setup(claim: object[], current: object[] = []) {
  const query = jest.fn(async (sql: string, _params?: unknown[]) => {
    if (sql.trimStart().startsWith('UPDATE appointments a SET')) return [claim, claim.length];
    if (sql.startsWith('SELECT')) return current;
    return [[], 1]; // the release
  });
  const send = jest.fn().mockResolvedValue({ messageId: 'm1' });
  const service = new AppointmentNotificationsService(
    { manager: { query }, query } as unknown as DataSource,
    { send } as unknown as MailerService,
    { publicUrl: 'https://guichet.example.org' } as unknown as AppConfig,
  );
  return { service, query, send };
}

describe('AppointmentNotificationsService', () => {
  it('claims the confirmation, then sends it to the contact', async () => {
    const { service, query, send } = setup([claimed]);
    await expect(service.sendConfirmation(ID)).resolves.toEqual({ sent: true });
    expect(query.mock.calls[0][0]).toMatch(/SET confirmation_sent_at = now\(\)[\s\S]*confirmation_sent_at IS NULL AND a.status = 'booked'/);
    expect(query.mock.calls[0][1]).toEqual([ID, null]);
    expect(send).toHaveBeenCalledWith({ to: 'camille@example.org', subject: expect.stringContaining('Rendez-vous confirmé'), text: expect.stringContaining('K7M2QX') });
  });

  it('sends nothing when another run holds the claim, and says why', async () => {
    const { service, send } = setup([], [{ status: 'booked', contact_email: 'camille@example.org', starts_at: STARTS_AT, sent_at: new Date() }]);
    await expect(service.sendReminder(ID, STARTS_AT.toISOString())).resolves.toEqual({ sent: false, reason: 'already sent' });
    expect(send).not.toHaveBeenCalled();
  });

  it('drops the reminder of a time the appointment no longer has', async () => {
    const { service, query } = setup([], [{ status: 'booked', contact_email: 'c@example.org', starts_at: new Date('2026-12-02T09:30:00Z'), sent_at: null }]);
    await expect(service.sendReminder(ID, STARTS_AT.toISOString())).resolves.toEqual({ sent: false, reason: 'appointment moved' });
    expect(query.mock.calls[0][1]).toEqual([ID, STARTS_AT]);
  });

  it('releases the claim and rethrows when the send fails, so the retry sends it', async () => {
    const { service, query, send } = setup([claimed]);
    send.mockRejectedValue(new Error('421 try again later'));
    await expect(service.sendReminder(ID, STARTS_AT.toISOString())).rejects.toThrow('421 try again later');
    expect(query).toHaveBeenLastCalledWith('UPDATE appointments SET reminder_sent_at = NULL WHERE id = $1', [ID]);
  });
});
