import { ValidationError } from '../errors/domain-error';
import {
  arrivalTime,
  bareAddress,
  mailDomain,
  messageIds,
  nameParts,
  newMessageId,
  parseInboundEmail,
  referencesFor,
  replySubject,
  requestFields,
  threadCandidates,
} from './email-message';

const mail = (headers: string[], body = 'Bonjour,\r\nJe voudrais un acte de naissance.\r\n') => Buffer.from(`${headers.join('\r\n')}\r\n\r\n${body}`);

describe('parseInboundEmail', () => {
  it('reads sender, recipients, threading headers, date and text', async () => {
    const parsed = await parseInboundEmail(
      mail([
        'From: "Dupré, Héloïse" <Heloise.Dupre@Exemple.FR>',
        'To: Accueil@Mairie.fr, "X" <x@y.fr>',
        'Cc: z@y.fr',
        'Subject: =?UTF-8?Q?Acte_de_naissance?=',
        'Message-ID: <abc@exemple.fr>',
        'In-Reply-To: <p1@guichet> <p2@guichet>',
        'References: <r1@guichet>\r\n <r2@guichet>',
        'Date: Mon, 1 Jan 2024 10:00:00 +0100',
      ]),
    );
    expect(parsed).toMatchObject({
      messageId: '<abc@exemple.fr>',
      inReplyTo: '<p1@guichet>',
      references: ['<r1@guichet>', '<r2@guichet>'],
      from: { address: 'Heloise.Dupre@Exemple.FR', name: 'Dupré, Héloïse' },
      recipients: ['accueil@mairie.fr', 'x@y.fr', 'z@y.fr'],
      subject: 'Acte de naissance',
      date: new Date('2024-01-01T09:00:00Z'),
      automatic: false,
      attachments: [],
    });
    expect(parsed.text).toContain('acte de naissance');
  });

  it('derives a stable Message-ID from the bytes when the message has none', async () => {
    const raw = mail(['From: a@b.fr', 'Subject: Sans identifiant']);
    const first = await parseInboundEmail(raw);
    expect(first.messageId).toMatch(/^<[0-9a-f]{40}@guichet\.generated>$/);
    expect((await parseInboundEmail(Buffer.from(raw))).messageId).toBe(first.messageId);
    expect((await parseInboundEmail(mail(['From: a@b.fr', 'Subject: Autre']))).messageId).not.toBe(first.messageId);
  });

  it('flags automatic mail (Auto-Submitted, Precedence)', async () => {
    expect((await parseInboundEmail(mail(['From: a@b.fr', 'Auto-Submitted: auto-replied']))).automatic).toBe(true);
    expect((await parseInboundEmail(mail(['From: a@b.fr', 'Auto-Submitted: no']))).automatic).toBe(false);
    expect((await parseInboundEmail(mail(['From: a@b.fr', 'Precedence: bulk']))).automatic).toBe(true);
  });

  it.each([
    ['an empty body', Buffer.alloc(0)],
    ['text without headers', Buffer.from('just some words')],
    ['a From without address', mail(['From: nobody', 'Subject: x'])],
    ['JSON', Buffer.from('{"raw": "From: a@b.fr"}')],
  ])('refuses %s with a 400 on body', async (_, raw) => {
    const error = await parseInboundEmail(raw).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors).toEqual([expect.objectContaining({ field: 'body' })]);
  });
});

describe('threading', () => {
  it('extracts every bracketed id once', () => {
    expect(messageIds('<a@x> <b@x>\r\n <a@x>')).toEqual(['<a@x>', '<b@x>']);
    expect(messageIds(['<a@x>', '<c@x>'])).toEqual(['<a@x>', '<c@x>']);
    expect(messageIds(undefined)).toEqual([]);
  });

  it('tries In-Reply-To first, then References from the latest', () => {
    expect(threadCandidates({ inReplyTo: '<p@x>', references: ['<root@x>', '<mid@x>', '<p@x>'] })).toEqual(['<p@x>', '<mid@x>', '<root@x>']);
    expect(threadCandidates({ inReplyTo: null, references: [] })).toEqual([]);
  });

  it('chains References to the parent and trims long chains to the root and the latest ids', () => {
    expect(referencesFor({ messageId: '<p@x>', references: ['<root@x>'] })).toEqual(['<root@x>', '<p@x>']);
    const long = Array.from({ length: 30 }, (_, i) => `<m${i}@x>`);
    const trimmed = referencesFor({ messageId: '<p@x>', references: long });
    expect(trimmed).toHaveLength(20);
    expect(trimmed[0]).toBe('<m0@x>');
    expect(trimmed.slice(-2)).toEqual(['<m29@x>', '<p@x>']);
  });

  it('prefixes Re: once', () => {
    expect(replySubject('Acte de naissance')).toBe('Re: Acte de naissance');
    expect(replySubject('RE: Acte')).toBe('RE: Acte');
    expect(replySubject('  ')).toBe('Re: (sans objet)');
  });

  it('makes Message-IDs on a domain and reads domains and addresses', () => {
    expect(newMessageId('mairie.fr')).toMatch(/^<[0-9a-f-]{36}@mairie\.fr>$/);
    expect(mailDomain('Guichet <no-reply@Guichet.Local>')).toBe('guichet.local');
    expect(mailDomain('accueil@mairie.fr')).toBe('mairie.fr');
    expect(mailDomain(null)).toBeNull();
    expect(bareAddress('Guichet <no-reply@guichet.local>')).toBe('no-reply@guichet.local');
    expect(bareAddress(' a@b.fr ')).toBe('a@b.fr');
  });
});

describe('nameParts', () => {
  it.each([
    ['Héloïse Dupré', { firstName: 'Héloïse', lastName: 'Dupré' }],
    ['Dupré, Héloïse', { firstName: 'Héloïse', lastName: 'Dupré' }],
    ['DUPRÉ Héloïse', { firstName: 'Héloïse', lastName: 'DUPRÉ' }],
    ['Jean-Pierre de La Tour', { firstName: 'Jean-Pierre', lastName: 'de La Tour' }],
    ['"Léa"', { firstName: 'Léa', lastName: null }],
    ['lea@exemple.fr', { firstName: null, lastName: null }],
    [null, { firstName: null, lastName: null }],
  ])('reads %s', (name, expected) => expect(nameParts(name)).toEqual(expected));
});

describe('request fields', () => {
  const now = new Date('2026-03-10T09:00:00Z');

  it('takes the Date header unless it is missing or ahead of now', () => {
    expect(arrivalTime(new Date('2026-03-10T08:00:00Z'), now)).toEqual(new Date('2026-03-10T08:00:00Z'));
    expect(arrivalTime(new Date('2026-03-11T08:00:00Z'), now)).toBe(now);
    expect(arrivalTime(null, now)).toBe(now);
  });

  it('gives a subject to a mail without one and bounds the notes', () => {
    expect(requestFields({ subject: '', text: '  ' })).toEqual({ subject: '(sans objet)', notes: null });
    const long = requestFields({ subject: 'x'.repeat(400), text: 'y'.repeat(20000) });
    expect(long.subject).toHaveLength(300);
    expect(long.notes).toHaveLength(10000);
  });
});
