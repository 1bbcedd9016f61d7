/**
 * Every scope an API key may carry. Routes name the scopes that open them; a key needs one of them.
 * Never rename a scope: keys in the field carry these strings.
 */
export const SCOPES = {
  'directory:read': 'Read sites, services, staff and partners',
  'directory:write': 'Create and change services, staff and partners',
  'visitors:read': 'Read visitors',
  'visitors:write': 'Create and change visitors',
  'requests:read': 'Read requests',
  'requests:write': 'Create and change requests',
  'tickets:read': 'Read queues and tickets',
  'tickets:write': 'Issue and change tickets',
  'appointments:read': 'Read appointments',
  'appointments:write': 'Book, move and cancel appointments',
  kiosk: 'A ticket kiosk: issue tickets and check in appointments',
  display: 'A hall display: receive calls live',
  'audit:read': 'Read the audit log',
  'provisions:read': 'Read providers, service orders and provider figures',
  'provisions:write': 'Create and follow service orders; record a provider\'s answers (accept, deliver…) and comments',
  'complaints:read': 'Read complaints, their categories and the monthly complaint reports',
  'complaints:write': 'Record and handle complaints',
  'bookings:read': 'Read rooms, equipment, their availability and bookings',
  'bookings:write': 'Book rooms and equipment; move and cancel bookings',
} as const;

export type Scope = keyof typeof SCOPES;
export const SCOPE_NAMES = Object.keys(SCOPES) as Scope[];
