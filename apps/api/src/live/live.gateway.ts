import { Logger } from '@nestjs/common';
import { ConnectedSocket, MessageBody, OnGatewayInit, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import { DataSource } from 'typeorm';
import { AuthService } from '@guichet/core/identity/auth.service';
import { roleAtLeast, type Principal } from '@guichet/core/identity/principal';
import { LiveEvents } from '@guichet/core/live/live-events.service';
import { LiveClientMessages, LiveControlEvents, toMessage } from '@guichet/live/events';
import { LIVE_NAMESPACE, rooms } from '@guichet/live/rooms';
import { GatewayPublisher } from './gateway.publisher';

/** Key scopes that may listen to a site's live events. */
const LIVE_SCOPES = ['display', 'kiosk', 'tickets:read'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_SERVICE_ROOMS = 50;

type Ack = { ok: true; seq: number } | { ok: false; error: string };
/** `serviceRooms`: service rooms joined per site, left with the site on unsubscribe. */
type LiveSocket = Socket & { data: { principal?: Principal; serviceRooms?: Record<string, string[]> } };

/**
 * Namespace /live. Authentication happens in a namespace middleware (before the connection is
 * accepted; Nest guards do not run on connection), with the same credentials as HTTP:
 * `auth: { token }` for users, `auth: { apiKey }` for displays, kiosks and integrations.
 * A client may also pass `auth.siteId` (+ `auth.afterSeq`) to subscribe on every (re)connection.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE, cors: { origin: true } })
export class LiveGateway implements OnGatewayInit<Namespace> {
  private readonly logger = new Logger('LiveGateway');

  constructor(
    private readonly auth: AuthService,
    private readonly live: LiveEvents,
    private readonly publisher: GatewayPublisher,
    private readonly dataSource: DataSource,
  ) {}

  afterInit(namespace: Namespace): void {
    this.publisher.attach(namespace);
    namespace.use((socket, next) => {
      this.authenticate(socket as LiveSocket)
        .then(() => next())
        .catch((error: Error) => next(Object.assign(new Error(error.message), { data: { code: (error as { code?: string }).code ?? 'unauthenticated' } })));
    });
    namespace.on('connection', (socket: LiveSocket) => {
      // A user's own room (messages, callbacks) follows them on every site they subscribe to.
      const principal = socket.data.principal;
      if (principal?.kind === 'user') void socket.join(rooms.user(principal.id));
      const { siteId, afterSeq } = (socket.handshake.auth ?? {}) as { siteId?: unknown; afterSeq?: unknown };
      if (typeof siteId === 'string') {
        void this.subscribe(socket, { siteId, afterSeq: typeof afterSeq === 'number' ? afterSeq : undefined }).then((ack) => {
          if (!ack.ok) socket.emit('error', { message: ack.error });
        });
      }
    });
  }

  @SubscribeMessage('subscribe')
  handleSubscribe(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: LiveClientMessages['subscribe']): Promise<Ack> {
    return this.subscribe(socket, body);
  }

  @SubscribeMessage('unsubscribe')
  async handleUnsubscribe(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: LiveClientMessages['unsubscribe']): Promise<Ack> {
    if (!body || typeof body.siteId !== 'string') return { ok: false, error: 'siteId is required' };
    for (const room of [...socket.rooms]) {
      if (room === rooms.site(body.siteId) || room === rooms.supervisors(body.siteId)) await socket.leave(room);
    }
    for (const room of socket.data.serviceRooms?.[body.siteId] ?? []) await socket.leave(room);
    delete socket.data.serviceRooms?.[body.siteId];
    return { ok: true, seq: await this.live.currentSeq(body.siteId) };
  }

  private async authenticate(socket: LiveSocket): Promise<void> {
    const { token, apiKey } = (socket.handshake.auth ?? {}) as { token?: unknown; apiKey?: unknown };
    if (typeof token === 'string' && token) {
      socket.data.principal = await this.auth.principalFromAccessToken(token);
      return;
    }
    if (typeof apiKey === 'string' && apiKey) {
      const principal = await this.auth.principalFromApiKey(apiKey);
      if (!principal.scopes.some((s) => LIVE_SCOPES.includes(s))) {
        throw Object.assign(new Error('API key lacks a live scope (display, kiosk or tickets:read)'), { code: 'forbidden' });
      }
      socket.data.principal = principal;
      return;
    }
    throw Object.assign(new Error('auth.token or auth.apiKey is required'), { code: 'unauthenticated' });
  }

  /** Joins first, then replays: an event published in between arrives twice and the client drops it by seq. */
  private async subscribe(socket: LiveSocket, body: LiveClientMessages['subscribe']): Promise<Ack> {
    const principal = socket.data.principal;
    if (!principal) return { ok: false, error: 'not authenticated' };
    if (!body || typeof body.siteId !== 'string' || !UUID.test(body.siteId)) return { ok: false, error: 'siteId must be a uuid' };
    if (!principal.siteIds.includes(body.siteId)) return { ok: false, error: 'site not found' };
    if (body.afterSeq !== undefined && (!Number.isInteger(body.afterSeq) || body.afterSeq < 0)) {
      return { ok: false, error: 'afterSeq must be a non-negative integer' };
    }
    const { serviceIds = [] } = body;
    if (!Array.isArray(serviceIds) || serviceIds.length > MAX_SERVICE_ROOMS || !serviceIds.every((id) => typeof id === 'string' && UUID.test(id))) {
      return { ok: false, error: `serviceIds must be at most ${MAX_SERVICE_ROOMS} uuids` };
    }
    const serviceRooms = await this.serviceRooms(body.siteId, serviceIds);
    if (serviceRooms === null) return { ok: false, error: 'service not found' };
    await socket.join(rooms.site(body.siteId));
    if (principal.kind === 'user' && roleAtLeast(principal.role, 'supervisor')) await socket.join(rooms.supervisors(body.siteId));
    if (serviceRooms.length > 0) {
      await socket.join(serviceRooms);
      socket.data.serviceRooms = { ...socket.data.serviceRooms, [body.siteId]: serviceRooms };
    }
    const seq = await this.live.currentSeq(body.siteId);
    if (body.afterSeq !== undefined) {
      const missed = await this.live.replay(body.siteId, body.afterSeq);
      if (missed === null) {
        const resync: LiveControlEvents['resync'] = { siteId: body.siteId, reason: 'gap_too_large' };
        socket.emit('resync', resync);
      } else {
        // Private events (a user's, the supervisors') are replayed only to sockets in one of their rooms.
        for (const event of missed) if (event.rooms.some((room) => socket.rooms.has(room))) socket.emit(event.type, toMessage(event));
      }
    }
    const subscribed: LiveControlEvents['subscribed'] = { siteId: body.siteId, seq };
    socket.emit('subscribed', subscribed);
    this.logger.debug(`${principal.label} subscribed to site ${body.siteId} at seq ${seq}`);
    return { ok: true, seq };
  }

  /**
   * Rooms of services of the site (where incoming transfers are announced); null when one is not
   * a service of the site. Service rooms carry a subset of the site's events, so seeing the site is enough.
   */
  private async serviceRooms(siteId: string, serviceIds: string[]): Promise<string[] | null> {
    if (serviceIds.length === 0) return [];
    const ids = [...new Set(serviceIds)];
    const found = (await this.dataSource.query(`SELECT id FROM services WHERE site_id = $1 AND id = ANY($2::uuid[])`, [siteId, ids])) as {
      id: string;
    }[];
    return found.length === ids.length ? ids.map((id) => rooms.service(id)) : null;
  }
}
