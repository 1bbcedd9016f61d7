import type { LiveControlEvents, LiveMessage } from '@guichet/live/events';
import { LIVE_NAMESPACE } from '@guichet/live/rooms';
import { useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import { api } from '../api/client';
import { session } from '../api/session';
import { applyFlowEvent, type FlowSnapshot } from './flow';

export type LiveCredentials = { kind: 'user' } | { kind: 'device'; apiKey: string };
export type LiveListener = (name: string, message: LiveMessage) => void;

interface LiveSite {
  snapshot: FlowSnapshot | undefined;
  connected: boolean;
  error: unknown;
}

/**
 * The live state of a site: the snapshot, then every event after its seq. Events are applied in
 * seq order and duplicates (seq already seen) dropped; a `resync` re-reads the snapshot. Each
 * (re)connection subscribes with `afterSeq` = the last seq applied, so the server replays what
 * was missed during a network cut.
 */
export function useLiveSite(siteId: string | undefined, credentials: LiveCredentials | null, listener?: LiveListener): LiveSite {
  const [snapshot, setSnapshot] = useState<FlowSnapshot>();
  const [connected, setConnected] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const listenerRef = useRef(listener);
  listenerRef.current = listener;
  const apiKey = credentials?.kind === 'device' ? credentials.apiKey : undefined;
  const enabled = !!siteId && !!credentials;

  useEffect(() => {
    if (!enabled || !siteId) return;
    let disposed = false;
    let lastSeq = -1;
    let socket: Socket | undefined;

    const loadSnapshot = async (): Promise<void> => {
      try {
        const fresh = await api<FlowSnapshot>(`/sites/${siteId}/flow`, { apiKey });
        if (disposed) return;
        lastSeq = fresh.seq;
        setSnapshot(fresh);
        setError(null);
      } catch (e) {
        if (!disposed) setError(e);
        throw e;
      }
    };

    const onEvent = (name: string, message: LiveMessage) => {
      if (typeof message?.seq !== 'number' || message.siteId !== siteId) return;
      if (message.seq <= lastSeq) return; // replayed twice or already in the snapshot
      lastSeq = message.seq;
      setSnapshot((current) => (current ? applyFlowEvent(current, name, message) : current));
      listenerRef.current?.(name, message);
    };

    const connect = () => {
      socket = io(LIVE_NAMESPACE, {
        transports: ['websocket'],
        reconnectionDelay: 500,
        reconnectionDelayMax: 3000,
        // Called on every (re)connection: fresh token, and the seq to replay from.
        auth: (cb) => cb({ ...(apiKey ? { apiKey } : { token: session.accessToken() }), siteId, afterSeq: lastSeq }),
      });
      socket.on('connect', () => setConnected(true));
      socket.on('disconnect', () => setConnected(false));
      socket.on('connect_error', (err: Error & { data?: { code?: string } }) => {
        setConnected(false);
        // Refused by the server (not a network error): socket.io does not retry those by itself.
        if (err.data?.code === 'token_expired') void session.refresh().then((ok) => ok && !disposed && socket?.connect());
      });
      socket.on('resync', (body: LiveControlEvents['resync']) => {
        if (body.siteId === siteId) void loadSnapshot().catch(() => undefined);
      });
      socket.onAny((name: string, message: LiveMessage) => {
        if (name !== 'resync' && name !== 'subscribed') onEvent(name, message);
      });
    };

    // Back online: reconnect now rather than at the end of the back-off.
    const onOnline = () => {
      if (socket && !socket.connected) socket.disconnect().connect();
    };
    window.addEventListener('online', onOnline);

    // A device that boots before the network or the API is up keeps trying.
    let retry: number | undefined;
    const start = () =>
      loadSnapshot()
        .then(() => !disposed && connect())
        .catch(() => {
          if (!disposed) retry = window.setTimeout(start, 3000);
        });
    void start();

    return () => {
      disposed = true;
      window.clearTimeout(retry);
      window.removeEventListener('online', onOnline);
      socket?.close();
      setConnected(false);
    };
  }, [enabled, siteId, apiKey]);

  return { snapshot, connected, error };
}
