import { DateTime } from 'luxon';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import request from 'supertest';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { createSite, createUser, login, TestUser } from '@guichet/testing/factories';
import { expectAccessible, launchChromium } from './browser-kit';

/**
 * The rooms screen in Debian's Chromium against the real API serving the built console: an agent
 * organises a meeting (room, equipment, catering), sees a colleague's booking arrive live, is told
 * which resource is taken when a colleague was faster, and cancels. axe-core on the page and the form.
 */
const DESK = { width: 1366, height: 768 };
const ZONE = 'Europe/Paris';

jest.setTimeout(180_000);

describe('rooms screen in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let siteId: string;
  let agent: TestUser;
  let supervisor: TestUser;
  let colleagueToken: string;
  const ids: Record<string, string> = {};
  const tomorrow = DateTime.now().setZone(ZONE).plus({ days: 1 }).startOf('day');
  const at = (hour: number) => tomorrow.set({ hour }).toISO() as string;

  const colleagueBooks = (body: Record<string, unknown>) =>
    request(t.url).post('/api/v1/bookings').set('Authorization', `Bearer ${colleagueToken}`).send({ title: 'Point équipe', ...body });

  beforeAll(async () => {
    t = await startTestApp();
    siteId = await createSite(t.dataSource, { name: 'Mairie de Saint-Aubin', timeZone: ZONE });
    supervisor = await createUser(t.dataSource, 'supervisor', [siteId]);
    agent = await createUser(t.dataSource, 'agent', [siteId]);
    await t.dataSource.query(`UPDATE users SET display_name = 'Camille Dubois' WHERE id = $1`, [agent.id]);
    const colleague = await createUser(t.dataSource, 'agent', [siteId]);
    await t.dataSource.query(`UPDATE users SET display_name = 'Louis Martin' WHERE id = $1`, [colleague.id]);
    const { accessToken } = await login(t.url, supervisor);
    colleagueToken = (await login(t.url, colleague)).accessToken;
    for (const body of [
      { key: 'rabelais', kind: 'room', name: 'Salle Rabelais', capacity: 8, equipment: ['écran'], location: '1er étage' },
      { key: 'moliere', kind: 'room', name: 'Salle Molière', capacity: 20, equipment: ['visio'], location: 'Rez-de-chaussée' },
      { key: 'projector', kind: 'equipment', name: 'Vidéoprojecteur', location: 'Accueil' },
      { key: 'speaker', kind: 'equipment', name: 'Enceinte portable', location: 'Accueil' },
    ]) {
      const { key, ...fields } = body;
      const res = await request(t.url).post('/api/v1/resources').set('Authorization', `Bearer ${accessToken}`).send({ siteId, ...fields });
      if (res.status !== 201) throw new Error(`resource: ${res.status} ${JSON.stringify(res.body)}`);
      ids[key] = res.body.id as string;
    }
    // The projector is out with the colleague tomorrow morning.
    const taken = await colleagueBooks({ resourceId: ids.moliere, startsAt: at(10), endsAt: at(11), equipmentIds: [ids.projector] });
    if (taken.status !== 201) throw new Error(`booking: ${taken.status} ${JSON.stringify(taken.body)}`);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: DESK, baseURL: t.url, locale: 'fr-FR', timezoneId: ZONE });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it('organises a meeting with equipment and catering, follows colleagues live, explains a conflict, and cancels', async () => {
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Adresse e-mail').fill(agent.email);
    await page.getByLabel('Mot de passe').fill(agent.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Salles', exact: true }).click();
    await page.getByRole('heading', { name: 'Salles et matériel', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Jour suivant' }).click();
    await page.getByRole('heading', { name: /Planning du/ }).waitFor();
    // The colleague's meeting and its projector, on their rows.
    await page.getByTestId(`planning-row-${ids.moliere}`).getByRole('button', { name: /Point équipe \(Louis Martin\)/ }).waitFor();
    await page.getByTestId(`planning-row-${ids.projector}`).getByRole('button', { name: /Point équipe/ }).waitFor();
    await expectAccessible(page, 'rooms planning');

    // Organise a meeting: the projector is taken at that time, the speaker is free.
    await page.getByRole('button', { name: 'Réserver une salle' }).click();
    const form = page.getByRole('dialog', { name: 'Organiser une réunion' });
    await form.getByLabel('Objet de la réunion').fill('Comité de pilotage');
    await form.getByLabel('Date').fill(tomorrow.toISODate() as string);
    await form.getByLabel('Début').fill('10:00');
    await form.getByLabel('Fin').fill('11:00');
    await form.getByLabel('Nombre de participants').fill('6');
    await form.getByRole('checkbox', { name: 'Vidéoprojecteur (déjà réservé)' }).waitFor();
    expect(await form.getByRole('checkbox', { name: 'Vidéoprojecteur (déjà réservé)' }).isDisabled()).toBe(true);
    await form.getByRole('combobox', { name: /^Salle/ }).selectOption({ label: 'Salle Rabelais — 8 places — libre' });
    await form.getByRole('checkbox', { name: 'Enceinte portable' }).check();
    await form.getByRole('switch', { name: 'Prévoir une restauration' }).check();
    await form.getByLabel('Nombre de couverts').fill('6');
    await form.getByLabel('Détails de la restauration').fill('Café et jus de fruits à 10 h');
    await expectAccessible(page, 'booking form');
    await form.getByRole('button', { name: 'Réserver', exact: true }).click();
    await form.waitFor({ state: 'hidden' });
    const mine = page.getByTestId(`planning-row-${ids.rabelais}`).getByRole('button', { name: /Comité de pilotage \(Camille Dubois\)/ });
    await mine.waitFor();
    await page.getByTestId(`planning-row-${ids.speaker}`).getByRole('button', { name: /Comité de pilotage/ }).waitFor();

    // A colleague books Rabelais in the afternoon from elsewhere: it shows up without reloading.
    expect((await colleagueBooks({ title: 'Entretien annuel', resourceId: ids.rabelais, startsAt: at(14), endsAt: at(15) })).status).toBe(201);
    await page.getByTestId(`planning-row-${ids.rabelais}`).getByRole('button', { name: /Entretien annuel \(Louis Martin\)/ }).waitFor();

    // Racing a colleague for Molière at 16:00: the form says which resource was taken.
    await page.getByRole('button', { name: 'Réserver une salle' }).click();
    await form.getByLabel('Objet de la réunion').fill('Réunion de service');
    await form.getByLabel('Date').fill(tomorrow.toISODate() as string);
    await form.getByLabel('Début').fill('16:00');
    await form.getByLabel('Fin').fill('17:00');
    await form.getByRole('combobox', { name: /^Salle/ }).selectOption({ label: 'Salle Molière — 20 places — libre' });
    expect((await colleagueBooks({ title: 'Formation', resourceId: ids.moliere, startsAt: at(16), endsAt: at(17) })).status).toBe(201);
    await form.getByRole('button', { name: 'Réserver', exact: true }).click();
    const refusal = form.getByRole('alert');
    await refusal.getByText('Réservation impossible : une ressource est déjà prise sur ce créneau.').waitFor();
    await refusal.getByText('Salle Molière est déjà réservé sur ce créneau.').waitFor();
    await form.getByRole('button', { name: 'Fermer', exact: true }).last().click();

    // The week view shows the meeting too; open it, check the details, cancel it.
    await page.getByText('Semaine', { exact: true }).click();
    await page.getByRole('heading', { name: /Planning de la semaine du/ }).waitFor();
    await page.getByTestId(`planning-row-${ids.rabelais}`).getByRole('button', { name: /Comité de pilotage/ }).click();
    const detail = page.getByRole('dialog', { name: 'Comité de pilotage' });
    await detail.getByText('Restauration : 6 couverts — Café et jus de fruits à 10 h').waitFor();
    await detail.getByText(/Enceinte portable — Confirmée/).waitFor();
    await expectAccessible(page, 'booking detail');
    // Moved one hour later: the speaker follows.
    await detail.getByLabel('Début').fill('11:00');
    await detail.getByLabel('Fin').fill('12:00');
    await detail.getByRole('button', { name: 'Déplacer', exact: true }).click();
    await detail.waitFor({ state: 'hidden' });
    await page.getByTestId(`planning-row-${ids.speaker}`).getByRole('button', { name: /11:00–12:00 : Comité de pilotage/ }).waitFor();
    await page.getByTestId(`planning-row-${ids.rabelais}`).getByRole('button', { name: /11:00–12:00 : Comité de pilotage/ }).click();
    await detail.getByLabel('Motif d’annulation (facultatif)').fill('Reporté');
    await detail.getByRole('button', { name: 'Annuler la réservation' }).click();
    await detail.waitFor({ state: 'hidden' });
    await page.getByTestId(`planning-row-${ids.rabelais}`).getByRole('button', { name: /Comité de pilotage/ }).waitFor({ state: 'detached' });

    const rows = (await t.dataSource.query(
      `SELECT r.name, b.status, b.catering_headcount FROM resource_bookings b JOIN resources r ON r.id = b.resource_id WHERE b.title = 'Comité de pilotage' ORDER BY r.name`,
    )) as { name: string; status: string; catering_headcount: number | null }[];
    expect(rows).toEqual([
      { name: 'Enceinte portable', status: 'cancelled', catering_headcount: null },
      { name: 'Salle Rabelais', status: 'cancelled', catering_headcount: 6 },
    ]);
  });
  it('gives a supervisor the secret calendar link of a room, which a calendar app can read', async () => {
    // A browser of their own: the agent's session lives in the first one's storage.
    const own = await browser.newContext({ viewport: DESK, baseURL: t.url, locale: 'fr-FR', timezoneId: ZONE });
    const page = await own.newPage();
    await page.goto('/login');
    await page.getByLabel('Adresse e-mail').fill(supervisor.email);
    await page.getByLabel('Mot de passe').fill(supervisor.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Salles', exact: true }).click();
    await page.getByRole('button', { name: 'Créer le lien d’agenda de Salle Molière' }).click();
    const dialog = page.getByRole('dialog', { name: 'Lien d’agenda de Salle Molière' });
    const url = await dialog.getByLabel('Adresse de l’agenda').inputValue();
    await expectAccessible(page, 'calendar link');
    const feed = new URL(url);
    const res = await request(t.url).get(`${feed.pathname}${feed.search}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('SUMMARY:Formation');
    await dialog.getByRole('button', { name: 'Fermer' }).click();
    await page.getByRole('button', { name: 'Renouveler le lien d’agenda de Salle Molière' }).waitFor();
    await own.close();
  });
});
