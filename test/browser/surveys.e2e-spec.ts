import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import request from 'supertest';
import { hashSecret, newSecret } from '@guichet/core/surveys/survey-tokens';
import { startTestApp, TestApp } from '@guichet/testing/app';
import { createApiKey, createUser, login, TestUser } from '@guichet/testing/factories';
import { createOpenSite } from '@guichet/testing/flow-fixtures';
import { expectAccessible, launchChromium } from './browser-kit';

/**
 * Surveys in Debian's Chromium against the real API serving the built console: a visitor answers
 * the mailed link on a phone (then finds it used; an expired and an unknown link say so), a kiosk
 * takes a smiley, and a supervisor reads the figures, downloads them as CSV and creates a
 * bilingual template. axe-core on every screen.
 */
const DESK = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };
const TABLET = { width: 1024, height: 1366 };
const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');

jest.setTimeout(180_000);

describe('surveys in the browser', () => {
  let t: TestApp;
  let browser: Browser;
  let siteId: string;
  let serviceId: string;
  let supervisor: TestUser;
  let templateId: string;
  let kioskKey: string;

  /** A sent invitation whose link the test knows (the mail itself is covered by test/surveys.e2e-spec.ts). */
  async function invitation(expired = false): Promise<string> {
    const token = newSecret();
    await t.dataSource.query(
      `INSERT INTO survey_invitations (site_id, template_id, interaction_kind, interaction_id, service_id, channel, language, token_hash,
                                       send_at, sent_at, expires_at)
       VALUES ($1, $2, 'request', gen_random_uuid(), $3, 'desk', 'fr', $4, now(), now(), now() + $5::interval)`,
      [siteId, templateId, serviceId, hashSecret(token), expired ? '-1 minute' : '1 day'],
    );
    return token;
  }

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    t = await startTestApp();
    ({ siteId, serviceId } = await createOpenSite(t.dataSource));
    await t.dataSource.query(`UPDATE sites SET name = 'Mairie de Saint-Aubin' WHERE id = $1`, [siteId]);
    await t.dataSource.query(`UPDATE services SET name = 'Accueil général' WHERE id = $1`, [serviceId]);
    supervisor = await createUser(t.dataSource, 'supervisor', [siteId]);
    const { accessToken } = await login(t.url, supervisor);
    const template = await request(t.url)
      .post('/api/v1/surveys/templates')
      .set('Authorization', `Bearer ${accessToken}`)
      .send({
        siteId,
        name: 'Après passage',
        title: { fr: 'Votre avis sur votre passage', en: 'Your opinion on your visit' },
        intro: { fr: 'Une minute suffit.', en: 'One minute is enough.' },
        questions: [
          { key: 'satisfaction', type: 'csat', label: { fr: 'Êtes-vous satisfait(e) de l’accueil ?', en: 'Were you satisfied?' } },
          { key: 'recommend', type: 'nps', label: { fr: 'Recommanderiez-vous ce service ?', en: 'Would you recommend us?' } },
          {
            key: 'issues',
            type: 'choice',
            multiple: true,
            reasons: true,
            required: false,
            label: { fr: 'Qu’est-ce qui n’allait pas ?', en: 'What went wrong?' },
            options: [
              { value: 'waiting', label: { fr: 'L’attente', en: 'Waiting' } },
              { value: 'welcome', label: { fr: 'L’accueil', en: 'Welcome' } },
            ],
          },
          { key: 'comment', type: 'text', label: { fr: 'Un commentaire ?', en: 'Any comment?' } },
        ],
      });
    if (template.status !== 201) throw new Error(`template: ${template.status} ${JSON.stringify(template.body)}`);
    templateId = template.body.id;
    kioskKey = (await createApiKey(t.dataSource, ['kiosk'], [siteId])).key;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('answers a survey link on a phone, refuses it afterwards, takes a kiosk smiley, and shows the figures', async () => {
    // The visitor's phone.
    const phone = await browser.newContext({ viewport: PHONE, baseURL: t.url, locale: 'fr-FR', isMobile: true, hasTouch: true });
    const token = await invitation();
    const page = await phone.newPage();
    await page.goto(`/s/${token}`);
    await page.getByRole('heading', { name: 'Votre avis sur votre passage' }).waitFor();
    await expectAccessible(page, 'public survey');
    await page.screenshot({ path: join(SCREENSHOTS, 'public-survey.png'), fullPage: true });
    await page.getByRole('radio', { name: '2 – Insatisfait(e)' }).check();
    await page.getByRole('radio', { name: '3', exact: true }).check();
    await page.getByRole('checkbox', { name: 'L’attente' }).check();
    await page.getByLabel(/Un commentaire/).fill('Une heure d’attente, trop long.');
    await page.getByRole('button', { name: 'Envoyer ma réponse' }).click();
    await page.getByRole('heading', { name: 'Merci pour votre réponse !' }).waitFor();
    await expectAccessible(page, 'public survey thanks');
    const [stored] = (await t.dataSource.query(`SELECT csat, nps, reason_tags, comment FROM survey_responses WHERE site_id = $1`, [siteId])) as Record<string, unknown>[];
    expect(stored).toEqual({ csat: 2, nps: 3, reason_tags: ['waiting'], comment: 'Une heure d’attente, trop long.' });

    // The same link from another browser: already used. An expired and an unknown link say so.
    const other = await browser.newContext({ viewport: PHONE, baseURL: t.url, locale: 'fr-FR' });
    const again = await other.newPage();
    await again.goto(`/s/${token}`);
    await again.getByText('Vous avez déjà répondu à ce questionnaire.').waitFor();
    await expectAccessible(again, 'public survey used');
    await again.goto(`/s/${await invitation(true)}`);
    await again.getByText('Ce lien a expiré.').waitFor();
    await expectAccessible(again, 'public survey expired');
    await again.goto(`/s/${newSecret()}`);
    await again.getByText('Ce lien de questionnaire n’existe pas.').waitFor();
    await other.close();
    await phone.close();

    // The kiosk smiley screen.
    const kiosk = await browser.newContext({ viewport: TABLET, baseURL: t.url, locale: 'fr-FR' });
    const kioskPage = await kiosk.newPage();
    await kioskPage.goto(`/kiosk/${siteId}/rate?key=${encodeURIComponent(kioskKey)}`);
    await kioskPage.getByRole('heading', { name: 'Comment s’est passé votre accueil ?' }).waitFor();
    await expectAccessible(kioskPage, 'kiosk rating');
    await kioskPage.screenshot({ path: join(SCREENSHOTS, 'kiosk-rating.png') });
    await kioskPage.getByRole('button', { name: 'Très content' }).click();
    await kioskPage.getByText('Merci pour votre avis !').waitFor();
    expect((await t.dataSource.query(`SELECT csat FROM survey_responses WHERE site_id = $1 AND source = 'kiosk'`, [siteId])) as unknown[]).toEqual([
      { csat: 5 },
    ]);
    await kiosk.close();

    // The supervisor reads the figures (2 answers: CSAT 50 %, NPS −100; 1 of 2 links answered) and downloads them.
    const desk = await browser.newContext({ viewport: DESK, baseURL: t.url, locale: 'fr-FR', acceptDownloads: true });
    const screen = await desk.newPage();
    await screen.goto('/login');
    await screen.getByLabel('Adresse e-mail').fill(supervisor.email);
    await screen.getByLabel('Mot de passe').fill(supervisor.password);
    await screen.getByRole('button', { name: 'Se connecter' }).click();
    await screen.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Satisfaction' }).click();
    await screen.getByRole('heading', { name: 'Satisfaction des usagers' }).waitFor();
    const table = screen.getByRole('table');
    await table.getByRole('rowheader', { name: 'Accueil général' }).waitFor();
    await expect(table.getByRole('row', { name: /Total/ }).getByRole('cell').allInnerTexts()).resolves.toEqual(['2', '50 %', '-100', '0', '1', '2', '50 %']);
    await screen.getByRole('listitem').filter({ hasText: 'Attente' }).first().waitFor();
    const answer = screen.getByRole('region', { name: 'Dernières réponses insatisfaites' }).getByRole('article');
    await answer.getByText('« Une heure d’attente, trop long. »').waitFor();
    await expectAccessible(screen, 'satisfaction figures');
    await screen.screenshot({ path: join(SCREENSHOTS, 'satisfaction.png'), fullPage: true });
    // The supervisor adds a reason of their own to the answer.
    await answer.getByLabel('Motifs').fill('signage');
    await answer.getByLabel('Motifs').press('Enter');
    await answer.getByRole('button', { name: 'Enregistrer' }).click();
    const tagsOf = async () =>
      ((await t.dataSource.query(`SELECT reason_tags FROM survey_responses WHERE site_id = $1 AND source = 'link'`, [siteId])) as { reason_tags: string[] }[])[0].reason_tags;
    for (let tries = 0; tries < 200 && (await tagsOf()).length < 2; tries++) await screen.waitForTimeout(50);
    expect(await tagsOf()).toEqual(['waiting', 'signage']);
    const [download] = await Promise.all([screen.waitForEvent('download'), screen.getByRole('button', { name: 'Télécharger les résultats (CSV)' }).click()]);
    const csv = readFileSync((await download.path()) as string, 'utf8');
    expect(csv.split('\n')[0]).toBe('service,label,responses,csat_answers,satisfied,csat_percent,nps_answers,promoters,detractors,nps,invitations_sent,invitations_answered,response_rate_percent');
    expect(csv).toContain('Accueil général');

    // Templates: create one in both languages.
    await screen.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Questionnaires' }).click();
    await screen.getByRole('heading', { name: 'Questionnaires de satisfaction' }).waitFor();
    const list = screen.getByRole('region', { name: 'Questionnaires', exact: true });
    await list.getByText('Après passage', { exact: true }).waitFor();
    const form = screen.getByRole('region', { name: 'Nouveau questionnaire' });
    await form.getByLabel('Nom interne').fill('Borne');
    await form.getByLabel('Titre (français)').fill('Votre avis');
    await form.getByLabel('Titre (anglais)').fill('Your opinion');
    await form.getByLabel('Libellé (français)').fill('Êtes-vous satisfait(e) ?');
    await form.getByLabel('Libellé (anglais)').fill('Were you satisfied?');
    await expectAccessible(screen, 'survey templates');
    await form.getByRole('button', { name: 'Créer le questionnaire' }).click();
    await list.getByText('Borne', { exact: true }).waitFor();
    expect(((await t.dataSource.query(`SELECT title FROM survey_templates WHERE site_id = $1 AND name = 'Borne'`, [siteId])) as { title: unknown }[])[0].title).toEqual({
      fr: 'Votre avis',
      en: 'Your opinion',
    });
    await desk.close();
  });
});
