import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { AppConfig } from '@guichet/config/app-config';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** Where answers should go when it is not the sender (a site's mailbox). */
  replyTo?: string;
  /** Threading headers (replies to e-mailed requests): `<id@domain>` forms. Nodemailer generates a Message-ID when absent. */
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
}

/**
 * Outgoing mail through the SMTP server of `SMTP_URL`. Without SMTP_URL nothing leaves the
 * machine: nodemailer's JSON transport builds the message and it is written to the log at info
 * level instead (development, demos, and deployments that have no mail server yet).
 */
@Injectable()
export class MailerService implements OnApplicationShutdown {
  private readonly logger = new Logger('Mailer');
  private readonly transport: Transporter;
  private readonly from: string;
  private readonly logOnly: boolean;

  constructor(config: AppConfig) {
    const url = config.get('SMTP_URL');
    this.logOnly = url === undefined;
    this.transport = url === undefined ? createTransport({ jsonTransport: true }) : createTransport(url);
    this.from = config.get('MAIL_FROM');
  }

  /** Resolves once the server accepted the message; rejects otherwise (the caller decides about retrying). */
  async send(message: MailMessage): Promise<{ messageId: string }> {
    const info = (await this.transport.sendMail({ from: this.from, ...message })) as { messageId: string };
    if (this.logOnly) {
      this.logger.log({ mail: { to: message.to, subject: message.subject, text: message.text } }, 'SMTP_URL is not set: mail logged, not sent');
    }
    return { messageId: info.messageId };
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
