import { DateTime } from 'luxon';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import request from 'supertest';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { createUser, login, TestUser } from '@guichet/testing/factories';
import { createCounter, createOpenSite, createQueue } from '@guichet/testing/flow-fixtures';
import { expectAccessible, launchChromium } from './browser-kit';

/**
 * Handover, tasks and agenda in Debian's Chromium against the real API serving the built console:
 * the afternoon agent reads and acknowledges the morning note, closes a logbook item, files a task
 * and a callback, then finds a booked appointment in the week view and gets the calendar feed link.
 * axe-core on each screen.
 */
const DESK = { width: 1366, height: 768 };
const ZONE = 'Europe/Paris';
const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');

jest.setTimeout(180_000);

describe('handover, tasks and agenda in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let afternoon: TestUser;
  let appointmentStart: DateTime;
  let openCounter: () => Promise<void>;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await startTestApp();
    const { siteId, serviceId } = await createOpenSite(t.dataSource);
    await t.dataSource.query(`UPDATE sites SET name = 'Mairie de Saint-Aubin' WHERE id = $1`, [siteId]);
    const supervisor = await createUser(t.dataSource, 'supervisor', [siteId]);
    const morning = await createUser(t.dataSource, 'agent', [siteId], { serviceId });
    afternoon = await createUser(t.dataSource, 'agent', [siteId], { serviceId });
    await t.dataSource.query(`UPDATE users SET display_name = 'Camille Dubois' WHERE id = $1`, [morning.id]);
    await t.dataSource.query(`UPDATE users SET display_name = 'Louis Martin' WHERE id = $1`, [afternoon.id]);
    const bossToken = (await login(t.url, supervisor)).accessToken;
    const morningToken = (await login(t.url, morning)).accessToken;
    const post = async (token: string, path: string, body: Record<string, unknown>) => {
      const res = await request(t.url).post(`/api/v1${path}`).set('Authorization', `Bearer ${token}`).send(body);
      if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as Record<string, unknown>;
    };
    await post(morningToken, '/logbook-entries', { siteId, category: 'maintenance', priority: 'high', title: 'Porte du parking bloquée', body: 'Le technicien passe à 15 h.' });
    await post(morningToken, '/handover-notes', { siteId, body: 'Matinée calme. Le technicien passe à 15 h pour la porte du parking.' });
    const queue = await createQueue(t.url, bossToken, { siteId, serviceId, name: 'État civil', prefix: 'E', slotMinutes: 30 });
    const today = DateTime.now().setZone(ZONE);
    const slots = await request(t.url)
      .get('/api/v1/appointments/slots')
      .set('Authorization', `Bearer ${bossToken}`)
      .query({ queueId: queue.id, from: today.toISODate(), to: today.plus({ days: 1 }).toISODate() });
    const slot = (slots.body.items as { startsAt: string }[]).find((s) => new Date(s.startsAt).getTime() > Date.now() + 3600_000)!;
    await post(bossToken, '/appointments', { queueId: queue.id, startsAt: slot.startsAt, contactName: 'Mme Leroy', channel: 'phone' });
    appointmentStart = DateTime.fromISO(slot.startsAt).setZone(ZONE);
    openCounter = async () => {
      const counter = await createCounter(t.url, bossToken, { siteId, name: 'Guichet 1', queueIds: [queue.id] });
      const token = (await login(t.url, afternoon)).accessToken;
      const opened = await request(t.url).post(`/api/v1/counters/${counter.id}/open`).set('Authorization', `Bearer ${token}`).send({});
      if (opened.status !== 200) throw new Error(`open counter: ${opened.status}`);
      await post(bossToken, '/tickets', { queueId: queue.id, channel: 'desk' });
    };
    browser = await launchChromium();
    context = await browser.newContext({ viewport: DESK, baseURL: t.url, locale: 'fr-FR', timezoneId: ZONE });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it('takes over a shift, files a task and a callback, and reads the week', async () => {
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Adresse e-mail').fill(afternoon.email);
    await page.getByLabel('Mot de passe').fill(afternoon.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    const nav = page.getByRole('navigation', { name: 'Navigation principale' });

    // Handover: the morning note waits to be read, the logbook item is open.
    await nav.getByRole('link', { name: 'Passation' }).click();
    await page.getByRole('heading', { name: 'Passation de consignes', level: 1 }).waitFor();
    await page.getByText('Matinée calme. Le technicien passe à 15 h pour la porte du parking.').waitFor();
    await page.getByRole('cell', { name: /^Porte du parking bloquée/ }).waitFor();
    await expectAccessible(page, 'handover');
    await page.screenshot({ path: join(SCREENSHOTS, 'handover.png'), fullPage: true });
    await page.getByRole('button', { name: 'J’ai pris connaissance' }).click();
    await page.getByText('Aucune note en attente de lecture.').waitFor();
    await page.getByRole('button', { name: 'Clore « Porte du parking bloquée »' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Commentaire de clôture').fill('Porte réparée à 15 h 20');
    await expectAccessible(page, 'handover close dialog');
    await dialog.getByRole('button', { name: 'Clore' }).click();
    await page.getByText('Aucun point ouvert.').waitFor();

    // Tasks: an urgent and important task lands in "do now"; a callback is normalised.
    await nav.getByRole('link', { name: 'Tâches' }).click();
    await page.getByRole('heading', { name: 'Tâches et rappels', level: 1 }).waitFor();
    const taskForm = page.getByRole('form', { name: 'Nouvelle tâche' });
    await taskForm.getByLabel('Intitulé').fill('Réimprimer les plans du hall');
    await taskForm.getByLabel('Urgent').check();
    await taskForm.getByLabel('Important').check();
    await taskForm.getByRole('button', { name: 'Ajouter la tâche' }).click();
    await page.getByRole('region', { name: 'À faire tout de suite' }).getByText('Réimprimer les plans du hall').waitFor();
    const callbackForm = page.getByRole('form', { name: 'Nouveau rappel téléphonique' });
    await callbackForm.getByLabel('Personne à rappeler').fill('M. Petit');
    await callbackForm.getByLabel('Numéro').fill('06 12 34 56 78');
    await callbackForm.getByLabel('Objet').fill('Devis pour la salle des fêtes');
    await callbackForm.getByRole('button', { name: 'Ajouter le rappel' }).click();
    await page.getByRole('link', { name: '+33612345678' }).waitFor();
    await expectAccessible(page, 'tasks');
    await page.screenshot({ path: join(SCREENSHOTS, 'tasks.png'), fullPage: true });
    await page.getByRole('button', { name: 'Joint — M. Petit' }).click();
    await page.getByText('Aucun rappel en attente.').waitFor();

    // Agenda: the appointment of the service's queue is in the week; the feed link is given once.
    await nav.getByRole('link', { name: 'Agenda' }).click();
    await page.getByRole('heading', { name: 'Agenda', level: 1 }).waitFor();
    if (!appointmentStart.hasSame(DateTime.now().setZone(ZONE), 'week')) await page.getByRole('button', { name: 'Semaine suivante' }).click();
    await page.getByText('État civil · Mme Leroy').waitFor();
    await page.getByText(`${appointmentStart.toFormat('HH:mm')}–${appointmentStart.plus({ minutes: 30 }).toFormat('HH:mm')}`).first().waitFor();
    await expectAccessible(page, 'agenda');
    await page.screenshot({ path: join(SCREENSHOTS, 'agenda.png'), fullPage: true });
    await page.getByRole('button', { name: 'Créer le lien d’abonnement' }).click();
    const feedUrl = await page.getByLabel('Adresse d’abonnement').inputValue();
    expect(feedUrl).toMatch(new RegExp(`/api/v1/calendars/agents/${afternoon.id}\\.ics\\?token=`));
    const feed = await request(t.url).get(new URL(feedUrl).pathname + new URL(feedUrl).search);
    expect(feed.status).toBe(200);
    expect(feed.text).toContain('BEGIN:VCALENDAR');

    // At the desk, the next-up panel merges the waiting visitor and the task.
    await openCounter();
    await nav.getByRole('link', { name: 'Guichet', exact: true }).click();
    const nextUp = page.getByRole('region', { name: 'À faire ensuite' });
    await nextUp.getByText(/^Ticket · E\d+ · État civil$/).waitFor();
    await nextUp.getByText('Tâche · Réimprimer les plans du hall').waitFor();
  });
});
