/** Room names, built only here so the API, the worker and the console agree. */
export const rooms = {
  site: (siteId: string) => `site:${siteId}`,
  queue: (queueId: string) => `queue:${queueId}`,
  counter: (counterId: string) => `counter:${counterId}`,
  service: (serviceId: string) => `service:${serviceId}`,
  display: (displayId: string) => `display:${displayId}`,
  user: (userId: string) => `user:${userId}`,
  /** Supervisors and admins of a site (escalations, reports to management): not displays, kiosks or agents. */
  supervisors: (siteId: string) => `supervisors:${siteId}`,
} as const;

export type RoomKind = keyof typeof rooms;

export const LIVE_NAMESPACE = '/live';

/** Redis channel prefix shared by the API's Socket.IO adapter and the worker's emitter. */
export function socketIoKey(redisPrefix: string): string {
  return `${redisPrefix}:socket.io`;
}
