import type { TokenPair } from './types';

/**
 * The user's tokens, kept in localStorage so a reload or a second tab stays signed in.
 * Refresh tokens are single use: every refresh goes through one shared promise, so two requests
 * failing at once never spend the same refresh token twice (which would revoke the session).
 */
const STORAGE_KEY = 'guichet.session';

type Listener = (signedIn: boolean) => void;
const listeners = new Set<Listener>();
let refreshing: Promise<boolean> | null = null;

function read(): TokenPair | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as TokenPair) : null;
  } catch {
    return null;
  }
}

export const session = {
  accessToken(): string | null {
    return read()?.accessToken ?? null;
  },

  save(tokens: TokenPair): void {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(tokens));
    listeners.forEach((l) => l(true));
  },

  clear(): void {
    localStorage.removeItem(STORAGE_KEY);
    listeners.forEach((l) => l(false));
  },

  refreshToken(): string | null {
    return read()?.refreshToken ?? null;
  },

  onChange(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },

  /** Rotates the pair once; false (and signed out) when the refresh token is refused. */
  refresh(): Promise<boolean> {
    refreshing ??= (async () => {
      const refreshToken = read()?.refreshToken;
      if (!refreshToken) return false;
      const response = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
      }).catch(() => null);
      if (!response?.ok) {
        if (response) session.clear(); // refused: the session is over; a network error keeps it
        return false;
      }
      session.save((await response.json()) as TokenPair);
      return true;
    })().finally(() => {
      refreshing = null;
    });
    return refreshing;
  },
};
