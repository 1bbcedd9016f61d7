import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readOrCreateSecret } from './secrets';

describe('readOrCreateSecret', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'guichet-secret-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('creates an owner-only secret once, then returns the stored one', async () => {
    const file = join(dir, 'nested', 'jwt-secret');
    const first = await readOrCreateSecret(file);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readOrCreateSecret(file)).toBe(first);
  });

  it('keeps a secret written by hand, ignoring surrounding whitespace', async () => {
    const file = join(dir, 'jwt-secret');
    await writeFile(file, '  chosen-by-the-operator-0123456789abcdef\n');
    expect(await readOrCreateSecret(file)).toBe('chosen-by-the-operator-0123456789abcdef');
  });

  it('lets concurrent first calls agree on one secret', async () => {
    const file = join(dir, 'jwt-secret');
    const secrets = await Promise.all([readOrCreateSecret(file), readOrCreateSecret(file), readOrCreateSecret(file)]);
    expect(new Set(secrets).size).toBe(1);
    expect((await readFile(file, 'utf8')).trim()).toBe(secrets[0]);
  });
});
