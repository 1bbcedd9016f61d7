/** A backing server the launcher found or started. */
export interface ResolvedService {
  url: string;
  source: 'env' | 'local' | 'embedded';
  /** Human-readable origin for the start banner (never contains a password). */
  description: string;
  /** Stops what the launcher started; a no-op for servers it only found. */
  stop(): Promise<void>;
}

export async function notStartedByUs(): Promise<void> {}

/** host:port/path of a connection URL, without credentials, for logs. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 'default port'}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return 'unparsable URL';
  }
}
