import { useQuery } from '@tanstack/react-query';
import { useCallback, useSyncExternalStore } from 'react';
import { api } from '../api/client';
import type { Page, Site } from '../api/types';
import { useAuth } from '../features/auth/useAuth';

const STORAGE_KEY = 'guichet.site';
const listeners = new Set<() => void>();

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The site the user works on (remembered per device), among the sites they may see. */
export function useSite(): { siteId: string | undefined; sites: Site[]; setSiteId(id: string): void } {
  const { user } = useAuth();
  const stored = useSyncExternalStore(subscribe, () => localStorage.getItem(STORAGE_KEY));
  const sites = useQuery({
    queryKey: ['sites'],
    queryFn: () => api<Page<Site>>('/sites', { query: { limit: 200 } }),
    enabled: !!user,
    staleTime: 10 * 60_000,
  });
  const setSiteId = useCallback((id: string) => {
    localStorage.setItem(STORAGE_KEY, id);
    listeners.forEach((l) => l());
  }, []);
  const siteIds = user?.siteIds ?? [];
  const list = sites.data?.items ?? [];
  // Until one is chosen on this device: the first fixed site, since a mobile point is the exception.
  const fallback = [...list].sort((a, b) => Number(a.mobile) - Number(b.mobile)).find((s) => siteIds.includes(s.id))?.id ?? siteIds[0];
  const siteId = stored && siteIds.includes(stored) ? stored : fallback;
  return { siteId, sites: list, setSiteId };
}
