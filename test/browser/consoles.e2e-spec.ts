import { JwtService } from '@nestjs/jwt';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import request from 'supertest';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { createApiKey, createUser, login, TestUser } from '@guichet/testing/factories';
import { createCounter, createOpenSite, createQueue } from '@guichet/testing/flow-fixtures';
import { expectAccessible, launchChromium } from './browser-kit';

/**
 * The consoles end to end, in Debian's Chromium against the real API serving the built console:
 * kiosk → desk → hall display → request with a knowledge article → orientation → finish, axe-core
 * on every screen, and the display catching up after a network cut. Screenshots go to docs/screenshots.
 */
const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');
const DESK = { width: 1366, height: 768 };
const WALL = { width: 1920, height: 1080 };
const TABLET = { width: 1024, height: 1366 };
const PHONE = { width: 390, height: 844 };

jest.setTimeout(180_000);

interface Seed {
  siteId: string;
  queueA: string;
  queueE: string;
  agent: TestUser;
  supervisor: TestUser;
  kioskKey: string;
  displayKey: string;
}

async function seed(t: TestApp): Promise<Seed> {
  const { siteId, serviceId } = await createOpenSite(t.dataSource);
  await t.dataSource.query(`UPDATE sites SET name = 'Mairie de Saint-Aubin' WHERE id = $1`, [siteId]);
  await t.dataSource.query(`UPDATE services SET name = 'Accueil général' WHERE id = $1`, [serviceId]);
  const [etatCivil] = (await t.dataSource.query(
    `INSERT INTO services (site_id, name, description, keywords) VALUES ($1, 'État civil', 'Actes de naissance, mariage, décès', $2) RETURNING id`,
    [siteId, ['acte de naissance', 'naissance', 'mariage', 'état civil']],
  )) as { id: string }[];
  const supervisor = await createUser(t.dataSource, 'supervisor', [siteId]);
  const agent = await createUser(t.dataSource, 'agent', [siteId], { serviceId });
  await t.dataSource.query(`UPDATE users SET display_name = 'Camille Dubois' WHERE id = $1`, [agent.id]);
  const { accessToken } = await login(t.url, supervisor);
  const queueA = await createQueue(t.url, accessToken, { siteId, serviceId, name: 'Accueil général', prefix: 'A' });
  const queueE = await createQueue(t.url, accessToken, { siteId, serviceId: etatCivil.id, name: 'État civil', prefix: 'E' });
  await createCounter(t.url, accessToken, { siteId, name: 'Guichet 1', location: 'Hall, à gauche', queueIds: [queueA.id, queueE.id] });
  await createCounter(t.url, accessToken, { siteId, name: 'Guichet 2', location: 'Hall, au centre', queueIds: [queueE.id] });
  const article = await request(t.url)
    .post('/api/v1/knowledge/articles')
    .set('Authorization', `Bearer ${accessToken}`)
    .send({
      siteId,
      kind: 'procedure',
      title: 'Obtenir un acte de naissance',
      body: 'Demande en ligne sur service-public.fr ou au guichet de l’état civil de la commune de naissance, avec une pièce d’identité.',
      tags: ['état civil', 'naissance'],
    });
  if (article.status !== 201) throw new Error(`article: ${article.status} ${JSON.stringify(article.body)}`);
  return {
    siteId,
    queueA: queueA.id,
    queueE: queueE.id,
    agent,
    supervisor,
    kioskKey: (await createApiKey(t.dataSource, ['kiosk'], [siteId])).key,
    displayKey: (await createApiKey(t.dataSource, ['display'], [siteId])).key,
  };
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

describe('consoles in the browser', () => {
  let t: TestApp;
  let s: Seed;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function open(viewport: { width: number; height: number }, path: string): Promise<{ page: Page; context: BrowserContext }> {
    const context = await browser.newContext({ viewport, baseURL: t.url, locale: 'fr-FR' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(path);
    return { page, context };
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await startTestApp();
    s = await seed(t);
    // Hall displays and supervisor dashboards play sounds without a click, as in production.
    browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.close();
  });

  it('serves the console with client-side routes and keeps API paths for the API', async () => {
    const page = await request(t.url).get('/desk');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const missing = await request(t.url).get('/api/v1/nope');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
    const malformed = await request(t.url).post('/api/v1/auth/login').set('content-type', 'application/json').send('{"email":');
    expect(malformed.status).toBe(400);
    expect(malformed.headers['content-type']).toMatch(/application\/problem\+json/);
    const asset = await request(t.url).get('/assets/missing.js');
    expect(asset.status).toBe(404);
  });

  it('takes a ticket at the kiosk, serves it at the desk, shows it on the display, and follows it on a phone', async () => {
    // Agent: sign in, open a counter.
    const desk = await open(DESK, '/login');
    await desk.page.getByLabel('Adresse e-mail').fill(s.agent.email);
    await desk.page.getByLabel('Mot de passe').fill(s.agent.password);
    await screenshot(desk.page, 'login');
    await desk.page.getByRole('button', { name: 'Se connecter' }).click();
    await desk.page.getByRole('heading', { name: 'Ouvrir un guichet' }).waitFor();
    await desk.page.getByRole('radio', { name: /Guichet 1/ }).check();
    await desk.page.getByRole('button', { name: 'Ouvrir le guichet' }).click();
    await desk.page.getByRole('button', { name: 'Appeler le suivant' }).waitFor();

    // Hall display, then the kiosk: a ticket with a reduced-mobility need.
    const display = await open(WALL, `/display/${s.siteId}?key=${encodeURIComponent(s.displayKey)}`);
    await display.page.getByText('Bienvenue').waitFor();
    expect(display.page.url()).not.toContain('key='); // kept in localStorage, not in the address bar
    const kiosk = await open(TABLET, `/kiosk/${s.siteId}?key=${encodeURIComponent(s.kioskKey)}`);
    await kiosk.page.getByRole('button', { name: 'J’ai un besoin spécifique' }).waitFor();
    await expectAccessible(kiosk.page, 'kiosk');
    await screenshot(kiosk.page, 'kiosk');
    await kiosk.page.getByRole('button', { name: 'J’ai un besoin spécifique' }).click();
    await kiosk.page.getByRole('button', { name: 'Mobilité réduite' }).click();
    await expect(kiosk.page.getByRole('button', { name: /Mobilité réduite/ }).getAttribute('aria-pressed')).resolves.toBe('true');
    await kiosk.page.getByRole('button', { name: 'Valider et choisir le service' }).click();
    await kiosk.page.getByTestId('kiosk-queue-A').click();
    await kiosk.page.getByTestId('issued-number').getByText('A001').waitFor();
    await kiosk.page.getByText('Vous êtes le prochain').waitFor();
    await kiosk.page.getByRole('img', { name: /QR code/ }).waitFor();
    await expectAccessible(kiosk.page, 'kiosk ticket');
    await screenshot(kiosk.page, 'kiosk-ticket');
    const trackingLink = (await kiosk.page.getByTestId('tracking-link').textContent()) ?? '';
    expect(trackingLink).toMatch(/\/t\/[\w-]+$/);

    // Desk: F2 calls it; the need shows as a badge.
    await desk.page.keyboard.press('F2');
    await desk.page.getByTestId('current-ticket').getByText('A001').waitFor();
    await desk.page.getByText('Mobilité réduite').first().waitFor();

    // Display: the number and the counter, in the live region too.
    await display.page.getByTestId('display-current').getByText('A001').waitFor();
    await display.page.getByTestId('display-current').getByText(/Guichet 1/).waitFor();
    await expect(display.page.getByTestId('display-announcement').textContent()).resolves.toContain('Guichet 1');
    await expectAccessible(display.page, 'display');

    // Desk: start, record the visitor and the request, link an article, orient, finish.
    await desk.page.getByRole('button', { name: 'Commencer' }).click();
    await desk.page.getByRole('button', { name: 'Nouveau visiteur' }).click();
    await desk.page.getByLabel('Prénom').fill('Héloïse');
    await desk.page.getByLabel('Nom', { exact: true }).fill('Dupré');
    await desk.page.getByRole('dialog').getByRole('button', { name: 'Enregistrer' }).click();
    await desk.page.getByTestId('visitor-name').getByText('Héloïse Dupré').waitFor();
    await desk.page.getByLabel('Objet de la demande').fill('Acte de naissance pour un mariage');
    await desk.page.getByLabel('Reformulation', { exact: true }).fill('Copie intégrale de son acte de naissance, pour un dossier de mariage.');
    await desk.page.getByLabel('Reformulation confirmée par le visiteur').check();
    await desk.page.getByRole('button', { name: 'Enregistrer la demande' }).click();
    await desk.page.getByRole('button', { name: 'Mettre à jour' }).waitFor();
    await desk.page.getByRole('button', { name: 'Lier l’article « Obtenir un acte de naissance » à la demande' }).click();
    await desk.page.getByText('Lié', { exact: true }).waitFor();
    await expectAccessible(desk.page, 'desk');
    await screenshot(desk.page, 'desk');
    // The phone rings while the visitor is at the desk: the call is logged aside, the workspace stays.
    await desk.page.getByRole('button', { name: 'Appel téléphonique' }).click();
    await desk.page.getByLabel('Numéro').fill('06 12 34 56 78');
    await desk.page.getByRole('dialog').getByLabel('Objet de la demande').fill('Horaires d’ouverture de la mairie');
    await expectAccessible(desk.page, 'desk phone call');
    await screenshot(desk.page, 'desk-phone');
    await desk.page.getByRole('button', { name: 'Enregistrer l’appel' }).click();
    await desk.page.getByText('Appel enregistré').waitFor();
    await desk.page.getByRole('button', { name: 'Retour au guichet' }).click();
    await desk.page.getByTestId('visitor-name').getByText('Héloïse Dupré').waitFor();
    const calls = (await t.dataSource.query(`SELECT number, request_id FROM phone_calls WHERE site_id = $1`, [s.siteId])) as { number: string; request_id: string }[];
    expect(calls).toEqual([{ number: '+33612345678', request_id: expect.any(String) }]);

    await desk.page.getByRole('tab', { name: 'Orientation' }).click();
    await desk.page.getByRole('button', { name: 'Orienter vers État civil' }).click();
    await desk.page.getByLabel('Motif').fill('Délivrance de l’acte par le service');
    await desk.page.getByRole('dialog').getByRole('button', { name: 'Orienter' }).click();
    await desk.page.getByText('Transférée').waitFor();
    await desk.page.getByRole('button', { name: 'Terminer' }).click();
    await desk.page.getByRole('button', { name: 'Appeler le suivant' }).waitFor();
    const ticket = (await t.dataSource.query(`SELECT status, request_id FROM tickets WHERE site_id = $1 AND number = 'A001'`, [s.siteId])) as {
      status: string;
      request_id: string | null;
    }[];
    expect(ticket[0]).toEqual({ status: 'done', request_id: expect.any(String) });

    // Phone: the public page of the ticket, then of a waiting one.
    const phone = await open(PHONE, new URL(trackingLink).pathname);
    await phone.page.getByText('Terminé').waitFor();
    await kiosk.page.getByRole('button', { name: 'Terminé' }).click();
    await kiosk.page.getByTestId('kiosk-queue-E').click();
    const second = (await kiosk.page.getByTestId('tracking-link').textContent()) ?? '';
    await phone.page.goto(new URL(second).pathname);
    await phone.page.getByText('Vous êtes le prochain').waitFor();
    await expectAccessible(phone.page, 'public ticket');
    await screenshot(phone.page, 'public-ticket');
  });

  it('shows the supervisor every queue and counter live', async () => {
    const { page } = await open(DESK, '/login');
    await page.getByLabel('Adresse e-mail').fill(s.supervisor.email);
    await page.getByLabel('Mot de passe').fill(s.supervisor.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Files d’attente' }).waitFor();
    await page.getByTestId('queue-row-E').getByText('1', { exact: true }).waitFor();
    await page.getByRole('cell', { name: 'Camille Dubois' }).waitFor();
    await page.getByRole('heading', { name: 'Alertes' }).waitFor();
    await expectAccessible(page, 'supervisor');
    await screenshot(page, 'supervisor');

    // An expired access token is renewed with the refresh token (rotated), without going back to the login page.
    // (The browser-side code is passed as strings: this file is type-checked without the DOM library.)
    const readSession = async () => JSON.parse(await page.evaluate<string>(`localStorage.getItem('guichet.session')`)) as { accessToken: string; refreshToken: string };
    const stored = await readSession();
    const claims = JSON.parse(Buffer.from(stored.accessToken.split('.')[1], 'base64url').toString()) as { sub: string; sid: string };
    const expired = await new JwtService().signAsync(
      { sub: claims.sub, sid: claims.sid, typ: 'access', exp: Math.floor(Date.now() / 1000) - 60 },
      { secret: process.env.JWT_SECRET, algorithm: 'HS256' },
    );
    await page.evaluate(`localStorage.setItem('guichet.session', ${JSON.stringify(JSON.stringify({ ...stored, accessToken: expired }))})`);
    await page.reload();
    await page.getByRole('heading', { name: 'Files d’attente' }).waitFor();
    expect((await readSession()).refreshToken).not.toBe(stored.refreshToken);

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByRole('button', { name: 'Se connecter' }).waitFor();
  });

  it('shows every call in order on a display that was cut off the network for ten seconds', async () => {
    const { accessToken } = await login(t.url, s.agent);
    const { page, context } = await open(WALL, `/display/${s.siteId}?key=${encodeURIComponent(s.displayKey)}`);
    await page.getByRole('heading', { name: 'Derniers appels' }).waitFor();
    const issue = (queueId: string) =>
      request(t.url).post('/api/v1/tickets').set('X-Api-Key', s.kioskKey).send({ queueId, channel: 'kiosk' }).expect(201);
    await issue(s.queueA);

    await context.setOffline(true);
    await page.getByText('Connexion perdue — reconnexion…').waitFor();
    const counterId = ((await t.dataSource.query(`SELECT id FROM counters WHERE site_id = $1 AND name = 'Guichet 1'`, [s.siteId])) as { id: string }[])[0].id;
    const agentApi = (path: string) => request(t.url).post(`/api/v1${path}`).set('Authorization', `Bearer ${accessToken}`).send({});
    const first = await agentApi(`/counters/${counterId}/call-next`).expect(200);
    await agentApi(`/tickets/${first.body.id}/start`).expect(200);
    await agentApi(`/tickets/${first.body.id}/finish`).expect(200);
    const secondCall = await agentApi(`/counters/${counterId}/call-next`).expect(200);
    await page.waitForTimeout(10_000); // the network cut lasts ten seconds
    await context.setOffline(false);

    await page.getByTestId('display-current').getByText(secondCall.body.number).waitFor({ timeout: 20_000 });
    const history = await page.getByTestId('display-history').locator('li').allTextContents();
    expect(history[0]).toContain(first.body.number);
    expect(history[0]).toContain('Guichet 1');
    await screenshot(page, 'display');
  });
});
