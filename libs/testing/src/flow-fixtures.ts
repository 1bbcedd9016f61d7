import request from 'supertest';
import { DataSource } from 'typeorm';
import { createUser, login, TestUser, uniqueSuffix } from './factories';

const ALWAYS_OPEN = JSON.stringify(
  Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ open: '00:00', close: '24:00' }]])),
);

/** A site open around the clock (tests run at any hour), with one service. */
export async function createOpenSite(ds: DataSource): Promise<{ siteId: string; serviceId: string }> {
  const [site] = (await ds.query(`INSERT INTO sites (name, time_zone, opening_hours) VALUES ($1, 'Europe/Paris', $2) RETURNING id`, [
    `Flow site ${uniqueSuffix()}`,
    ALWAYS_OPEN,
  ])) as { id: string }[];
  const [service] = (await ds.query(`INSERT INTO services (site_id, name) VALUES ($1, $2) RETURNING id`, [site.id, `Accueil ${uniqueSuffix()}`])) as {
    id: string;
  }[];
  return { siteId: site.id, serviceId: service.id };
}

export interface Agent extends TestUser {
  token: string;
}

export async function createAgent(ds: DataSource, baseUrl: string, siteId: string, role: 'agent' | 'supervisor' = 'agent'): Promise<Agent> {
  const user = await createUser(ds, role, [siteId]);
  return { ...user, token: (await login(baseUrl, user)).accessToken };
}

export async function createQueue(baseUrl: string, token: string, body: Record<string, unknown>): Promise<{ id: string }> {
  const res = await request(baseUrl).post('/api/v1/queues').set('Authorization', `Bearer ${token}`).send(body);
  if (res.status !== 201) throw new Error(`queue: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string };
}

export async function createCounter(baseUrl: string, token: string, body: Record<string, unknown>): Promise<{ id: string; name: string }> {
  const res = await request(baseUrl).post('/api/v1/counters').set('Authorization', `Bearer ${token}`).send(body);
  if (res.status !== 201) throw new Error(`counter: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; name: string };
}
