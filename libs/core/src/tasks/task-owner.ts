import { rooms } from '@guichet/live/rooms';

/** Tasks and callbacks belong to a user, a service or both; their private events go to those rooms. */
export function ownerRooms(row: { owner_user_id: string | null; owner_service_id: string | null }): string[] {
  const list: string[] = [];
  if (row.owner_user_id) list.push(rooms.user(row.owner_user_id));
  if (row.owner_service_id) list.push(rooms.service(row.owner_service_id));
  return list;
}
