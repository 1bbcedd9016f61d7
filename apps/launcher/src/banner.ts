import type { DemoLogin } from '@guichet/database/demo/demo-data';

export interface BannerInfo {
  baseUrl: string;
  postgres: string;
  redis: string;
  worker: boolean;
  /** Absent when the demo data was not loaded. */
  logins?: readonly Pick<DemoLogin, 'email' | 'password' | 'role' | 'roleLabel'>[];
}

export function formatBanner(info: BannerInfo): string {
  const rule = '─'.repeat(72);
  const lines = [
    rule,
    '  Guichet is ready',
    `    Application   ${info.baseUrl}`,
    `    API docs      ${info.baseUrl}/api/docs`,
    `    PostgreSQL    ${info.postgres}`,
    `    Redis         ${info.redis}`,
  ];
  if (!info.worker) lines.push('    Worker        not started (no build of apps/worker): background jobs will wait');
  if (info.logins?.length) {
    const width = Math.max(...info.logins.map((login) => login.email.length));
    const passwordWidth = Math.max(...info.logins.map((login) => login.password.length));
    lines.push('', '  Demo accounts (public passwords: for trying Guichet out, never for real use):');
    for (const login of info.logins) {
      lines.push(`    ${login.email.padEnd(width)}  ${login.password.padEnd(passwordWidth)}  ${login.role} (${login.roleLabel})`);
    }
  }
  lines.push('', '  Stop with Ctrl-C.', rule);
  return lines.join('\n');
}
