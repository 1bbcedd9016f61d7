import { readFileSync } from 'node:fs';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import request from 'supertest';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { createSite, createUser, login, TestUser } from '@guichet/testing/factories';
import { expectAccessible, launchChromium } from './browser-kit';

/**
 * The complaints screen in Debian's Chromium against the real API serving the built console: a
 * supervisor sets a category and its deadlines then edits its answer time, records a phone
 * complaint, follows its clocks in words (not colour only), hands it to a colleague, links it to a
 * request found by a search, acknowledges it, waits for the visitor and resumes, answers, and
 * downloads the monthly report. axe-core on the list, the forms, the dialogs, the detail and the report.
 */
const DESK = { width: 1366, height: 768 };
const ZONE = 'Europe/Paris';

jest.setTimeout(180_000);

describe('complaints screen in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let siteId: string;
  let supervisor: TestUser;
  let colleague: TestUser;
  let token: string;

  async function apiGet<T>(path: string): Promise<T> {
    const response = await request(t.url).get(`/api/v1${path}`).set('authorization', `Bearer ${token}`);
    expect(response.status).toBe(200);
    return response.body as T;
  }

  beforeAll(async () => {
    t = await startTestApp();
    siteId = await createSite(t.dataSource, { name: 'Mairie de Saint-Aubin', timeZone: ZONE });
    supervisor = await createUser(t.dataSource, 'supervisor', [siteId]);
    await t.dataSource.query(`UPDATE users SET display_name = 'Claire Moreau' WHERE id = $1`, [supervisor.id]);
    colleague = await createUser(t.dataSource, 'agent', [siteId]);
    await t.dataSource.query(`UPDATE users SET display_name = 'Karim Benali' WHERE id = $1`, [colleague.id]);
    token = (await login(t.url, supervisor)).accessToken;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: DESK, baseURL: t.url, locale: 'fr-FR', timezoneId: ZONE, acceptDownloads: true });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it('sets a category, records and handles a complaint with its clocks, and downloads the report', async () => {
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Adresse e-mail').fill(supervisor.email);
    await page.getByLabel('Mot de passe').fill(supervisor.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Réclamations' }).click();
    await page.getByRole('heading', { name: 'Réclamations', level: 1 }).waitFor();

    // Categories and deadlines: 1 h to acknowledge, 2 h to answer, around the clock.
    await page.getByRole('tab', { name: 'Catégories et délais' }).click();
    const newCategory = page.getByRole('form', { name: 'Nouvelle catégorie' });
    await newCategory.getByLabel('Catégorie').fill('Temps d’attente');
    await newCategory.getByLabel('Délai d’accusé de réception (min)').fill('60');
    await newCategory.getByLabel('Délai de réponse (min)').fill('120');
    await newCategory.getByLabel('Compter seulement les heures d’ouverture et hors fermetures du site').uncheck();
    await newCategory.getByRole('button', { name: 'Ajouter la catégorie' }).click();
    await page.getByRole('cell', { name: 'Temps d’attente', exact: true }).waitFor();
    await page.getByRole('cell', { name: '24 h/24, 7 j/7' }).waitFor();
    await expectAccessible(page, 'complaint categories');

    // Three hours to answer instead of two: the complaints received from now on get it.
    await page.getByRole('button', { name: 'Modifier Temps d’attente' }).click();
    const editCategory = page.getByRole('dialog', { name: 'Modifier la catégorie Temps d’attente' });
    await editCategory.getByLabel('Délai de réponse (min)').fill('180');
    await editCategory.getByLabel('Alerte avant dépassement').selectOption({ label: 'Quelques minutes avant l’échéance' });
    await editCategory.getByLabel('Alerte (minutes avant l’échéance)').fill('30');
    await expectAccessible(page, 'category edit dialog');
    await editCategory.getByRole('button', { name: 'Enregistrer' }).click();
    await editCategory.waitFor({ state: 'hidden' });
    await page.getByRole('cell', { name: '30 min avant l’échéance' }).waitFor();
    const [category] = await apiGet<Record<string, unknown>[]>(`/complaint-categories?siteId=${siteId}`);
    expect(category).toMatchObject({ name: 'Temps d’attente', acknowledgeMinutes: 60, answerMinutes: 180, warningPercent: null, warningMinutesBefore: 30, useBusinessHours: false, version: 2 });

    // Record a phone complaint.
    await page.getByRole('tab', { name: 'Suivi' }).click();
    await page.getByRole('button', { name: 'Nouvelle réclamation' }).click();
    const form = page.getByRole('dialog', { name: 'Recueillir une réclamation' });
    await form.getByLabel('Canal').selectOption({ label: 'Téléphone' });
    await form.getByLabel('Motif (catégorie)').selectOption({ label: 'Temps d’attente' });
    await form.getByLabel('Motif en quelques mots').fill('Deux heures d’attente');
    await form.getByLabel('Ce que la personne rapporte').fill('Venue pour un passeport, reçue après deux heures.');
    await form.getByLabel('Ce qui est demandé').fill('Un rendez-vous prioritaire');
    await expectAccessible(page, 'complaint form');
    await form.getByRole('button', { name: 'Enregistrer la réclamation' }).click();

    // The detail opens: both clocks running, said in words.
    const detail = page.getByRole('dialog', { name: /Réclamation — Deux heures d’attente/ });
    await detail.getByText(/Accusé de réception : reste (59 min|1 h 00)/).waitFor();
    await detail.getByText(/Réponse : reste (2 h 59|3 h 00)/).waitFor();
    await detail.getByText('Responsable : Claire Moreau').waitFor();
    await expectAccessible(page, 'complaint detail');

    // Hand it to a colleague of the site.
    await detail.getByRole('button', { name: 'Réassigner' }).click();
    const reassign = page.getByRole('dialog', { name: 'Réassigner la réclamation' });
    await reassign.getByLabel('Nouveau responsable').selectOption({ label: 'Karim Benali' });
    await expectAccessible(page, 'reassign dialog');
    await reassign.getByRole('button', { name: 'Réassigner' }).click();
    await reassign.waitFor({ state: 'hidden' });
    await detail.getByText('Responsable : Karim Benali').waitFor();
    const complaintId = ((await t.dataSource.query(`SELECT id FROM complaints WHERE site_id = $1`, [siteId])) as { id: string }[])[0].id;
    expect(await apiGet<Record<string, unknown>>(`/complaints/${complaintId}`)).toMatchObject({ ownerUserId: colleague.id });

    // Link it to the visitor's request, found by a word of its subject and shown by name.
    const created = await request(t.url)
      .post('/api/v1/requests')
      .set('authorization', `Bearer ${token}`)
      .send({ siteId, channel: 'desk', subject: 'Renouvellement de passeport' });
    expect(created.status).toBe(201);
    const requestId = (created.body as { id: string }).id;
    await detail.getByText('Aucune demande, aucun ticket ni aucune commande liés.').waitFor();
    await detail.getByRole('button', { name: 'Lier un élément' }).click();
    const linkDialog = page.getByRole('dialog', { name: 'Lier la réclamation' });
    await linkDialog.getByLabel('Rechercher ou coller une référence').fill('passeport');
    const linkButton = linkDialog.getByRole('button', { name: /^Lier : Demande « Renouvellement de passeport » du / });
    await linkButton.waitFor();
    await expectAccessible(page, 'link dialog');
    await linkButton.click();
    await linkDialog.waitFor({ state: 'hidden' });
    await detail.getByText(/^Demande « Renouvellement de passeport » du \d{2}\/\d{2}\/\d{4}$/).waitFor();
    expect(await apiGet<Record<string, unknown>>(`/complaints/${complaintId}`)).toMatchObject({ requestId, ownerUserId: colleague.id });
    await detail.getByRole('button', { name: 'Accuser réception' }).click();
    await detail.getByText('Accusé de réception : dans les délais').waitFor();

    // Waiting for the visitor's documents, then resuming.
    await detail.getByLabel('Motif de l’attente').fill('Justificatif attendu');
    await detail.getByRole('button', { name: 'Mettre en attente de la personne' }).click();
    await detail.getByText('Réponse : en pause (attente de la personne)').waitFor();
    await detail.getByRole('button', { name: 'Reprendre les délais' }).click();
    await detail.getByText(/Réponse : reste/).waitFor();

    // Answer (the button waits for the text), grant a gesture, out of remit.
    expect(await detail.getByRole('button', { name: 'Répondre' }).isDisabled()).toBe(true);
    await detail.getByLabel('Réponse apportée').fill('Rendez-vous prioritaire proposé jeudi à 9 h');
    await detail.getByRole('button', { name: 'Répondre' }).click();
    await detail.getByText('Réponse : dans les délais').waitFor();
    await detail.getByLabel('Geste commercial accordé').fill('Rendez-vous prioritaire');
    await detail.getByLabel('Traitée dans mon périmètre de compétence (décocher si orientée vers la hiérarchie)').uncheck();
    await detail.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await detail.getByText(/Reçue → Accusé de réception envoyé/).waitFor();
    // Reassigned, linked, then this save: three edits in the history.
    await detail.getByText(/Réclamation modifiée \(Claire Moreau\)/).nth(2).waitFor();
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'hidden' });
    await page.getByRole('row', { name: /Deux heures d’attente.*Répondue/ }).waitFor();

    const [row] = (await t.dataSource.query(
      `SELECT status, answer, within_remit, compensation, channel FROM complaints WHERE site_id = $1`,
      [siteId],
    )) as Record<string, unknown>[];
    expect(row).toEqual({
      status: 'answered',
      answer: 'Rendez-vous prioritaire proposé jeudi à 9 h',
      within_remit: false,
      compensation: 'Rendez-vous prioritaire',
      channel: 'phone',
    });

    // The monthly report of the current month, as CSV.
    await page.getByRole('tab', { name: 'Rapport mensuel' }).click();
    const month = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit' }).format(new Date());
    await page.getByLabel('Mois').fill(month);
    await expectAccessible(page, 'complaint report');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger (CSV)' }).click()]);
    expect(download.suggestedFilename()).toBe(`reclamations-${month}.csv`);
    const csv = readFileSync((await download.path()) as string, 'utf8');
    expect(csv).toContain('summary,received,1');
    expect(csv).toContain('by_channel,phone,1');
    expect(csv).toContain('actions,outside_remit,1');
  });
});
