import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import request from 'supertest';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { createUser, login, TestUser } from '@guichet/testing/factories';
import { createCounter, createOpenSite, createQueue } from '@guichet/testing/flow-fixtures';
import { expectAccessible, launchChromium } from './browser-kit';

/**
 * Incidents and messages in Debian's Chromium against the real API serving the built console:
 * an agent calls security in one tap, the supervisor's dashboard shows it live and takes it, the
 * agent completes the incident report, reports to management by message and gets the read
 * receipt; the supervisor reads the register. axe-core on each screen.
 */
const DESK = { width: 1366, height: 768 };
const WALL = { width: 1920, height: 1080 };

jest.setTimeout(180_000);

describe('incidents and messages in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let siteId: string;
  let agent: TestUser;
  let supervisor: TestUser;
  const contexts: BrowserContext[] = [];

  async function signIn(user: TestUser, viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport, baseURL: t.url, locale: 'fr-FR' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Adresse e-mail').fill(user.email);
    await page.getByLabel('Mot de passe').fill(user.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
    return page;
  }

  beforeAll(async () => {
    t = await startTestApp();
    const site = await createOpenSite(t.dataSource);
    siteId = site.siteId;
    supervisor = await createUser(t.dataSource, 'supervisor', [siteId]);
    agent = await createUser(t.dataSource, 'agent', [siteId], { serviceId: site.serviceId });
    await t.dataSource.query(`UPDATE users SET display_name = 'Camille Dubois' WHERE id = $1`, [agent.id]);
    await t.dataSource.query(`UPDATE users SET display_name = 'Claire Martin' WHERE id = $1`, [supervisor.id]);
    const { accessToken } = await login(t.url, supervisor);
    const queue = await createQueue(t.url, accessToken, { siteId, serviceId: site.serviceId, name: 'Accueil général', prefix: 'A' });
    await createCounter(t.url, accessToken, { siteId, name: 'Guichet 1', location: 'Hall', queueIds: [queue.id] });
    // Hall displays and supervisor dashboards play sounds without a click, as in production.
    browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.close();
  });

  it('calls security from the desk, the supervisor takes it live, the incident is documented and reported to management', async () => {
    const dashboard = await signIn(supervisor, WALL);
    await dashboard.goto('/supervisor');
    await dashboard.getByRole('heading', { name: 'Appels à l’aide' }).waitFor();
    await dashboard.getByText('Aucun appel en attente.').waitFor();

    const desk = await signIn(agent, DESK);
    await desk.getByRole('heading', { name: 'Ouvrir un guichet' }).waitFor();
    await desk.getByRole('radio', { name: /Guichet 1/ }).check();
    await desk.getByRole('button', { name: 'Ouvrir le guichet' }).click();
    await desk.getByRole('button', { name: 'Appeler la sécurité' }).click();
    await desk.getByText('Alerte envoyée — en attente').waitFor();

    // Pushed to the dashboard without a reload.
    const card = dashboard.getByRole('region', { name: 'Appels à l’aide' });
    await card.getByText('Appel sécurité').waitFor();
    await expectAccessible(dashboard, 'supervisor with a security call');
    await card.getByRole('button', { name: 'Je m’en occupe' }).click();
    await card.getByText('Aucun appel en attente.').waitFor();
    await desk.getByText('Alerte prise en charge').waitFor();

    // The agent documents what happened.
    await desk.getByRole('button', { name: 'Compléter la fiche' }).click();
    const form = desk.getByRole('dialog');
    await form.getByLabel('Ton qui monte').check();
    await form.getByLabel('Écoute').check();
    await form.getByLabel('Reformulation').check();
    await form.getByLabel('Ce qui a été observé').fill('Usager très énervé par l’attente, ton menaçant.');
    await form.getByLabel('Issue').selectOption('calmed');
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    await form.getByText('Fiche enregistrée.').waitFor();
    await expectAccessible(desk, 'incident form');
    const [incident] = (await t.dataSource.query(`SELECT severity, signs, actions, outcome FROM incidents WHERE site_id = $1`, [siteId])) as Record<string, unknown>[];
    expect(incident).toEqual({ severity: 'security', signs: ['raised_voice'], actions: ['security_called', 'listening', 'reformulation'], outcome: 'calmed' });
    await desk.keyboard.press('Escape');

    // A report to management, read by the supervisor, with the receipt back to the agent.
    await desk.getByRole('link', { name: 'Messages, 0 non lu' }).click();
    await desk.getByRole('tab', { name: 'Écrire' }).click();
    await desk.getByLabel('Destinataire').selectOption('management');
    await desk.getByLabel('Objet').fill('Incident au guichet 1');
    await desk.getByLabel('Message', { exact: true }).fill('Usager menaçant vers 10 h, calmé. À revoir : temps d’attente.');
    await desk.getByRole('button', { name: 'Envoyer' }).click();
    await desk.getByText('lu par 0 sur 1').waitFor();

    await dashboard.goto('/messages');
    await dashboard.getByText('1 non lu').waitFor();
    await dashboard.getByRole('button', { name: 'Lire' }).click();
    await dashboard.getByRole('heading', { name: 'Incident au guichet 1' }).waitFor();
    await dashboard.getByText('0 non lu').waitFor();
    await expectAccessible(dashboard, 'messages');
    await desk.getByText('lu par 1 sur 1').waitFor();

    // The register, with its figures.
    await dashboard.goto('/incidents');
    await dashboard.getByRole('heading', { name: 'Registre des incidents' }).waitFor();
    await dashboard.getByText('1 incident').waitFor();
    await dashboard.getByText('Sécurité : 1').waitFor();
    await dashboard.getByText(/Chaîne par défaut/).waitFor();
    await expectAccessible(dashboard, 'incident register');
  });

  it('a supervisor edits the escalation chain: a zero delay is refused on screen, then a new delay and order are saved', async () => {
    const { accessToken } = await login(t.url, supervisor);
    const readPolicy = async () => {
      const res = await request(t.url).get(`/api/v1/sites/${siteId}/incident-escalation-policy`).set('Authorization', `Bearer ${accessToken}`);
      expect(res.status).toBe(200);
      return res.body as { isDefault: boolean; version: number; levels: { name: string; delaySeconds: number }[] };
    };
    const page = await signIn(supervisor, DESK);
    await page.goto('/incidents');
    await page.getByText(/Chaîne par défaut/).waitFor();
    await page.getByRole('button', { name: 'Modifier la chaîne' }).click();
    const editor = page.getByRole('form', { name: 'Modifier la chaîne d’escalade' });
    await editor.waitFor();
    const delay = editor.getByRole('textbox', { name: 'Délai du niveau 1', exact: true });
    expect(await delay.inputValue()).toBe('2');
    expect(await editor.getByRole('combobox', { name: 'Unité du délai du niveau 1' }).inputValue()).toBe('minutes');

    await delay.fill('0');
    await editor.getByRole('button', { name: 'Enregistrer la chaîne' }).click();
    await editor.getByText(/Le délai doit être un nombre entier supérieur à 0/).waitFor();
    await expectAccessible(page, 'escalation chain editor with an error');
    expect((await readPolicy()).version).toBe(0);

    await delay.fill('4');
    await editor.getByRole('button', { name: 'Monter le niveau 2' }).click();
    await editor.getByRole('button', { name: 'Enregistrer la chaîne' }).click();
    await page.getByText('Chaîne propre à ce site.').waitFor();
    const saved = await readPolicy();
    expect(saved).toMatchObject({ isDefault: false, version: 1 });
    expect(saved.levels.map((l) => [l.name, l.delaySeconds])).toEqual([
      ['Administrateurs et sécurité', 180],
      ['Superviseurs (relance)', 240],
    ]);
  });
});
