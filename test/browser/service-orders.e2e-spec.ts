import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import request from 'supertest';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { createSite, createUser, login, TestUser } from '@guichet/testing/factories';
import { expectAccessible, launchChromium } from './browser-kit';

/**
 * The service orders and providers screens in Debian's Chromium against the real API serving the
 * built console: an agent orders office supplies above the approval threshold (lines and total),
 * a supervisor approves it, the provider's answers are recorded, the agent rates the service and
 * the provider's figures show it; a supervisor changes the site's approval threshold and a
 * provider's contacts. axe-core on each screen.
 */
const DESK = { width: 1366, height: 900 };
const ZONE = 'Europe/Paris';

jest.setTimeout(180_000);

describe('service orders screens in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let siteId: string;
  let agent: TestUser;
  let supervisor: TestUser;
  let providerId: string;

  async function signIn(user: TestUser): Promise<Page> {
    const context = await browser.newContext({ viewport: DESK, baseURL: t.url, locale: 'fr-FR', timezoneId: ZONE });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Adresse e-mail').fill(user.email);
    await page.getByLabel('Mot de passe').fill(user.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('navigation', { name: 'Navigation principale' }).waitFor();
    return page;
  }

  beforeAll(async () => {
    t = await startTestApp();
    siteId = await createSite(t.dataSource, { name: 'Mairie de Saint-Aubin', timeZone: ZONE });
    supervisor = await createUser(t.dataSource, 'supervisor', [siteId]);
    agent = await createUser(t.dataSource, 'agent', [siteId]);
    await t.dataSource.query(`UPDATE users SET display_name = 'Camille Dubois' WHERE id = $1`, [agent.id]);
    await t.dataSource.query(`UPDATE users SET display_name = 'Lucie Bernard' WHERE id = $1`, [supervisor.id]);
    const { accessToken } = await login(t.url, supervisor);
    const res = await request(t.url)
      .post('/api/v1/providers')
      .set('Authorization', `Bearer ${accessToken}`)
      .send({
        siteId,
        kind: 'external',
        name: 'Bureau Plus',
        description: 'Fournitures de bureau',
        orderTypes: ['supplies'],
        contractReference: 'MARCHE-2026-007',
        responseHours: 24,
        completionHours: 72,
        contacts: [{ name: 'Claire Martin', email: 'claire@bureauplus.test', isPrimary: true }],
      });
    if (res.status !== 201) throw new Error(`provider: ${res.status} ${JSON.stringify(res.body)}`);
    providerId = res.body.id as string;
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.close();
  });

  it('lets a supervisor record an internal provider with its service level and main contact', async () => {
    const page = await signIn(supervisor);
    await page.goto('/providers');
    await page.getByRole('heading', { name: 'Prestataires', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Nouveau prestataire' }).click();
    const form = page.getByRole('region', { name: 'Nouveau prestataire' });
    await form.getByLabel('Nom').fill('Services techniques municipaux');
    await form.getByLabel('Type', { exact: true }).selectOption({ label: 'Interne' });
    await form.getByLabel('Maintenance').check();
    await form.getByLabel('Réservation de salle').check();
    await form.getByLabel('Délai de réponse (heures)').fill('8');
    await form.getByLabel('Délai de réalisation (heures)').fill('24');
    await form.getByLabel('Contact principal').fill('Patrick Roux');
    await form.getByLabel('E-mail du contact').fill('patrick.roux@saint-aubin.test');
    await expectAccessible(page, 'new provider');
    await form.getByRole('button', { name: 'Enregistrer le prestataire' }).click();
    const detail = page.getByRole('region', { name: 'Services techniques municipaux' });
    await detail.getByText('Maintenance, Réservation de salle').waitFor();
    await detail.getByText('Patrick Roux').waitFor();
    const rows = (await t.dataSource.query(`SELECT kind, order_types, response_hours, completion_hours FROM providers WHERE site_id = $1 AND name = 'Services techniques municipaux'`, [
      siteId,
    ])) as unknown[];
    expect(rows).toEqual([{ kind: 'internal', order_types: ['maintenance', 'room_booking'], response_hours: '8.000', completion_hours: '24.000' }]);
  });

  it('orders supplies with lines, gets the order approved and followed, rates it, and sees the provider figures', async () => {
    const page = await signIn(agent);
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Prestations' }).click();
    await page.getByRole('heading', { name: 'Prestations', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Nouvelle commande' }).click();
    const form = page.getByRole('region', { name: 'Nouvelle commande' });
    await form.getByLabel('Prestataire').selectOption({ label: 'Bureau Plus' });
    await form.getByLabel('Objet').fill('Fournitures du trimestre');
    await form.getByLabel('Article, ligne 1').fill('Ramette A4');
    await form.getByLabel('Quantité, ligne 1').fill('100');
    await form.getByLabel('Prix unitaire, ligne 1').fill('4.99');
    await form.getByRole('button', { name: 'Ajouter une ligne' }).click();
    await form.getByLabel('Article, ligne 2').fill('Fauteuil de bureau');
    await form.getByLabel('Quantité, ligne 2').fill('1');
    await form.getByLabel('Prix unitaire, ligne 2').fill('189');
    // 100 × 4,99 € + 189 € = 688 €, above the default threshold of 500 €.
    await form.getByText(/Total : 688,00/).waitFor();
    await expectAccessible(page, 'new service order');
    await form.getByRole('button', { name: 'Envoyer la commande' }).click();

    const detail = page.getByRole('region', { name: /N° \d+ · Fournitures du trimestre/ });
    await detail.waitFor();
    await detail.getByText('Envoyée', { exact: true }).waitFor();
    await page.getByText('Au-dessus du seuil du site : un superviseur doit valider la commande.').waitFor();
    await expectAccessible(page, 'service order awaiting approval');
    const [order] = (await t.dataSource.query(`SELECT id, status, total_cents, approval_required FROM service_orders WHERE title = 'Fournitures du trimestre'`)) as {
      id: string;
      status: string;
      total_cents: string;
      approval_required: boolean;
    }[];
    expect(order).toMatchObject({ status: 'submitted', total_cents: '68800', approval_required: true });

    // The supervisor approves from the order's link (the one the follow-up mails carry).
    const boss = await signIn(supervisor);
    await boss.goto(`/service-orders/${order.id}`);
    await boss.getByRole('button', { name: 'Valider la commande' }).click();
    await boss.getByRole('button', { name: 'Acceptée par le prestataire' }).waitFor();

    // The agent, live: records the provider's answers as they come.
    await page.getByRole('button', { name: 'Acceptée par le prestataire' }).click();
    await page.getByRole('button', { name: 'Livrée' }).click();
    await page.getByRole('region', { name: 'Évaluation de la prestation' }).waitFor();
    const timeline = page.getByRole('region', { name: 'Historique' });
    // The approval is no status of its own but has its place between sending and acceptance, with who gave it.
    const steps = timeline.getByRole('listitem');
    await steps.filter({ hasText: 'Livrée' }).waitFor();
    expect((await steps.allTextContents()).map((text) => text.split(' — ')[0])).toEqual(['Brouillon', 'Envoyée', 'Validée par un superviseur', 'Acceptée', 'Livrée']);
    await steps.filter({ hasText: 'Validée par un superviseur' }).getByText(/Lucie Bernard$/).waitFor();

    await page.getByRole('region', { name: 'Échanges' }).getByLabel('Nouveau message').fill('Livré à l’accueil, merci');
    await page.getByRole('button', { name: 'Ajouter' }).click();
    await page.getByText('Livré à l’accueil, merci', { exact: true }).last().waitFor();

    const rating = page.getByRole('region', { name: 'Évaluation de la prestation' });
    await rating.getByLabel('Respect des délais').fill('4');
    await rating.getByLabel('Qualité').fill('5');
    await rating.getByLabel('Communication').fill('3');
    await rating.getByRole('button', { name: 'Évaluer' }).click();
    await rating.getByText(/Respect des délais 4\/5 · Qualité 5\/5 · Communication 3\/5/).waitFor();
    await expectAccessible(page, 'delivered and rated service order');

    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Prestataires' }).waitFor();
    // A full load rather than the link: other suites may rebuild the shared console bundle meanwhile, and a
    // page loaded before that would ask for lazy chunks that no longer exist.
    await page.goto('/providers');
    await page.getByRole('button', { name: 'Bureau Plus' }).click();
    const figures = page.getByRole('region', { name: 'Qualité de service' });
    // One order, delivered before its due time, rated (4 + 5 + 3) / 3 = 4.
    await figures.getByText('4 / 5').waitFor();
    await figures.getByText(/^100\s%$/).first().waitFor();
    await page.getByLabel('Amélioration proposée').fill('Livrer avant 9 h');
    await page.getByRole('button', { name: 'Proposer', exact: true }).click();
    await page.getByRole('region', { name: 'Actions d’amélioration' }).getByText('Livrer avant 9 h').waitFor();
    await expectAccessible(page, 'provider figures');
    expect(await t.dataSource.query(`SELECT title, status FROM provider_improvement_actions WHERE provider_id = $1`, [providerId])).toEqual([{ title: 'Livrer avant 9 h', status: 'proposed' }]);
  });

  it('lets a supervisor change the site approval threshold and add, edit and remove a provider contacts', async () => {
    const page = await signIn(supervisor);
    await page.goto('/service-orders');
    await page.getByRole('heading', { name: 'Prestations', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Seuil de validation' }).click();
    const panel = page.getByRole('region', { name: 'Seuil de validation' });
    await panel.getByText(/plus de 500,00\s€.*\(valeur par défaut\)/).waitFor();
    const amount = panel.getByLabel('Montant du seuil');
    await amount.fill('-5');
    await panel.getByRole('button', { name: 'Enregistrer le seuil' }).click();
    await panel.getByText('Le montant ne peut pas être négatif.').waitFor();
    await expectAccessible(page, 'approval threshold with an error');
    const { accessToken } = await login(t.url, supervisor);
    const read = async () => (await request(t.url).get(`/api/v1/service-order-settings/${siteId}`).set('Authorization', `Bearer ${accessToken}`).expect(200)).body as unknown;
    expect(await read()).toMatchObject({ approvalThresholdCents: 50_000, currency: 'EUR', custom: false });

    await amount.fill('1200.50');
    await panel.getByRole('button', { name: 'Enregistrer le seuil' }).click();
    await panel.getByText('Seuil enregistré.').waitFor();
    await panel.getByText(/plus de 1\s200,50\s€/).waitFor();
    await expectAccessible(page, 'approval threshold saved');
    expect(await read()).toMatchObject({ approvalThresholdCents: 120_050, currency: 'EUR', custom: true, version: 1 });

    // A contact added as the main one (it now gets the reminders), then another one's role corrected.
    await page.goto('/providers');
    await page.getByRole('button', { name: 'Bureau Plus' }).click();
    const detail = page.getByRole('region', { name: 'Bureau Plus' });
    await detail.getByRole('button', { name: 'Ajouter un contact' }).click();
    const add = detail.getByRole('form', { name: 'Ajouter un contact' });
    await add.getByLabel('Nom du contact').fill('Julien Petit');
    await add.getByLabel('Fonction').fill('Livreur');
    await add.getByLabel('Téléphone').fill('01 23 45 67 89');
    await add.getByLabel('Contact principal (reçoit les relances)').check();
    await expectAccessible(page, 'new provider contact');
    await add.getByRole('button', { name: 'Enregistrer le contact' }).click();
    await detail.getByText('Julien Petit', { exact: true }).waitFor();
    await add.waitFor({ state: 'detached' });

    await detail.getByRole('button', { name: 'Modifier le contact Claire Martin' }).click();
    const edit = detail.getByRole('form', { name: 'Modifier le contact Claire Martin' });
    await edit.getByLabel('Fonction').fill('Responsable de compte');
    await edit.getByRole('button', { name: 'Enregistrer le contact' }).click();
    await detail.getByText(/Responsable de compte · claire@bureauplus.test/).waitFor();
    await expectAccessible(page, 'provider contacts');
    expect(await t.dataSource.query(`SELECT name, role, email, phone, is_primary FROM provider_contacts WHERE provider_id = $1 ORDER BY name`, [providerId])).toEqual([
      { name: 'Claire Martin', role: 'Responsable de compte', email: 'claire@bureauplus.test', phone: null, is_primary: false },
      { name: 'Julien Petit', role: 'Livreur', email: null, phone: '01 23 45 67 89', is_primary: true },
    ]);

    // Removal asks for a confirmation first.
    await detail.getByRole('button', { name: 'Retirer le contact Claire Martin' }).click();
    await detail.getByRole('button', { name: 'Confirmer le retrait de Claire Martin' }).click();
    await detail.getByText('Claire Martin', { exact: true }).waitFor({ state: 'detached' });
    expect(await t.dataSource.query(`SELECT name FROM provider_contacts WHERE provider_id = $1`, [providerId])).toEqual([{ name: 'Julien Petit' }]);
  });
});
