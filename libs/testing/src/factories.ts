import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuthService } from '../../core/src/identity/auth.service';
import type { Role } from '../../core/src/identity/principal';
import { API_KEY_PREFIX, randomSecret, sha256 } from '../../core/src/identity/tokens';

/** Suites isolate themselves by creating their own sites and accounts rather than truncating. */
export const TEST_PASSWORD = 'Correct-Horse-Battery-9';
let passwordHash: Promise<string> | undefined;

export function uniqueSuffix(): string {
  return randomUUID().slice(0, 8);
}

export async function createSite(ds: DataSource, overrides: { name?: string; timeZone?: string } = {}): Promise<string> {
  const [row] = (await ds.query(
    `INSERT INTO sites (name, time_zone, opening_hours) VALUES ($1, $2, $3) RETURNING id`,
    [
      overrides.name ?? `Site ${uniqueSuffix()}`,
      overrides.timeZone ?? 'Europe/Paris',
      JSON.stringify({
        mon: [{ open: '08:30', close: '17:00' }],
        tue: [{ open: '08:30', close: '17:00' }],
        wed: [{ open: '08:30', close: '17:00' }],
        thu: [{ open: '08:30', close: '17:00' }],
        fri: [{ open: '08:30', close: '17:00' }],
      }),
    ],
  )) as { id: string }[];
  return row.id;
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  role: Role;
}

export async function createUser(
  ds: DataSource,
  role: Role,
  siteIds: string[],
  overrides: { serviceId?: string; email?: string } = {},
): Promise<TestUser> {
  passwordHash ??= AuthService.hashPassword(TEST_PASSWORD);
  const email = overrides.email ?? `${role}-${uniqueSuffix()}@test.guichet`;
  const [row] = (await ds.query(
    `INSERT INTO users (email, password_hash, display_name, role, service_id) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [email, await passwordHash, `Test ${role}`, role, overrides.serviceId ?? null],
  )) as { id: string }[];
  for (const siteId of siteIds) {
    await ds.query(`INSERT INTO user_sites (user_id, site_id) VALUES ($1, $2)`, [row.id, siteId]);
  }
  return { id: row.id, email, password: TEST_PASSWORD, role };
}

export async function login(baseUrl: string, user: { email: string; password: string }): Promise<{ accessToken: string; refreshToken: string }> {
  const res = await request(baseUrl).post('/api/v1/auth/login').send({ email: user.email, password: user.password });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { accessToken: string; refreshToken: string };
}

/** Inserts a key directly (the admin endpoint is tested on its own); returns the clear key. */
export async function createApiKey(ds: DataSource, scopes: string[], siteIds: string[]): Promise<{ id: string; key: string }> {
  const key = `${API_KEY_PREFIX}${randomSecret(24)}`;
  const [row] = (await ds.query(
    `INSERT INTO api_keys (name, prefix, secret_hash, scopes) VALUES ($1, $2, $3, $4) RETURNING id`,
    [`test ${uniqueSuffix()}`, key.slice(0, 10), sha256(key), scopes],
  )) as { id: string }[];
  for (const siteId of siteIds) {
    await ds.query(`INSERT INTO api_key_sites (api_key_id, site_id) VALUES ($1, $2)`, [row.id, siteId]);
  }
  return { id: row.id, key };
}
