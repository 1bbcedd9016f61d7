import { Logger } from '@nestjs/common';
import type { AppConfig } from '@guichet/config/app-config';
import { MailerService } from './mailer.service';

function config(values: Record<string, string | undefined>): AppConfig {
  return { get: (key: string) => values[key] } as unknown as AppConfig;
}

describe('MailerService', () => {
  afterEach(() => jest.restoreAllMocks());

  it('logs the message instead of sending it when SMTP_URL is unset', async () => {
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const mailer = new MailerService(config({ MAIL_FROM: 'Guichet <no-reply@guichet.local>' }));
    const sent = await mailer.send({ to: 'a@example.org', subject: 'Bonjour', text: 'Code ABC234' });
    expect(sent.messageId).toEqual(expect.any(String));
    expect(log).toHaveBeenCalledWith(
      { mail: { to: 'a@example.org', subject: 'Bonjour', text: 'Code ABC234' } },
      expect.stringContaining('SMTP_URL is not set'),
    );
    mailer.onApplicationShutdown();
  });

  it('reports a server that cannot be reached', async () => {
    // Port 1 is never an SMTP server; the rejection reaches the caller, which decides about retrying.
    const mailer = new MailerService(config({ SMTP_URL: 'smtp://127.0.0.1:1', MAIL_FROM: 'x@guichet.local' }));
    await expect(mailer.send({ to: 'a@example.org', subject: 's', text: 't' })).rejects.toThrow();
    mailer.onApplicationShutdown();
  });
});
