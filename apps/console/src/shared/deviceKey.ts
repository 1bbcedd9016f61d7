import { useCallback, useEffect, useState } from 'react';

export type DeviceKind = 'kiosk' | 'display';

const storageKey = (kind: DeviceKind, siteId: string) => `guichet.device.${kind}.${siteId}`;

/**
 * The device's API key (scope kiosk or display). Given once in the URL (`?key=`), it is kept in
 * localStorage and removed from the address bar, so it does not stay on screen or in the history.
 */
export function useDeviceKey(kind: DeviceKind, siteId: string): { key: string | null; save(key: string): void } {
  const [key, setKey] = useState<string | null>(() => {
    const fromUrl = new URLSearchParams(window.location.search).get('key');
    if (fromUrl) localStorage.setItem(storageKey(kind, siteId), fromUrl);
    return fromUrl ?? localStorage.getItem(storageKey(kind, siteId));
  });

  useEffect(() => {
    const url = new URL(window.location.href);
    if (url.searchParams.has('key')) {
      url.searchParams.delete('key');
      window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    }
  }, []);

  const save = useCallback(
    (value: string) => {
      localStorage.setItem(storageKey(kind, siteId), value);
      setKey(value);
    },
    [kind, siteId],
  );
  return { key, save };
}
