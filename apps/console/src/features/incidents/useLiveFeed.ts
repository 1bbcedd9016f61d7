import type { LiveMessage } from '@guichet/live/events';
import { LIVE_NAMESPACE } from '@guichet/live/rooms';
import { useEffect, useRef } from 'react';
import { io } from 'socket.io-client';
import { session } from '../../api/session';

export type FeedListener = (name: string, message: LiveMessage | undefined) => void;

/**
 * Private live events (incident alerts, messages) for screens that re-read through the API
 * rather than keep a snapshot: the listener gets each event whose name starts with one of
 * `prefixes`, and a `reconnected` call (no message) after a cut, when it should re-read.
 * Subscribing to the site also joins the supervisors room for supervisors; the user's own room
 * is joined by the server at connection.
 */
export function useLiveFeed(siteId: string | undefined, prefixes: readonly string[], listener: FeedListener): void {
  const listenerRef = useRef(listener);
  listenerRef.current = listener;
  const key = prefixes.join(',');

  useEffect(() => {
    if (!siteId) return;
    const wanted = key.split(',');
    let connectedOnce = false;
    const socket = io(LIVE_NAMESPACE, {
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 3000,
      auth: (cb) => cb({ token: session.accessToken(), siteId }),
    });
    socket.on('connect', () => {
      if (connectedOnce) listenerRef.current('reconnected', undefined);
      connectedOnce = true;
    });
    socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
      if (err.data?.code === 'token_expired') void session.refresh().then((ok) => ok && socket.connect());
    });
    socket.onAny((name: string, message: LiveMessage) => {
      if (message?.siteId === siteId && wanted.some((p) => name.startsWith(p))) listenerRef.current(name, message);
    });
    return () => {
      socket.close();
    };
  }, [siteId, key]);
}
