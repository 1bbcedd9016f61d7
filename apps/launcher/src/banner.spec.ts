import { DEMO_LOGINS } from '@guichet/database/demo/demo-data';
import { formatBanner } from './banner';

describe('formatBanner', () => {
  const base = { baseUrl: 'http://localhost:3000', postgres: 'local PostgreSQL on 127.0.0.1:5432', redis: 'local Redis on 127.0.0.1:6379' };

  it('shows the URL, the API docs and every demo login with its password and role', () => {
    const text = formatBanner({ ...base, worker: true, logins: DEMO_LOGINS });
    expect(text).toContain('http://localhost:3000');
    expect(text).toContain('http://localhost:3000/api/docs');
    for (const login of DEMO_LOGINS) {
      expect(text).toMatch(new RegExp(`${login.email}\\s+${login.password}\\s+${login.role}`));
    }
    expect(text).not.toContain('Worker');
  });

  it('omits the accounts when no demo was loaded and says when the worker is missing', () => {
    const text = formatBanner({ ...base, worker: false });
    expect(text).not.toContain('Demo accounts');
    expect(text).toMatch(/Worker\s+not started/);
  });
});
