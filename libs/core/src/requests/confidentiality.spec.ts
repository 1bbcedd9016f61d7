import type { ApiKeyPrincipal, Role, UserPrincipal } from '../identity/principal';
import { canReadConfidential, redactEventData, redactRequest } from './confidentiality';

const SERVICE_X = 'service-x';
const SERVICE_Y = 'service-y';

function user(role: Role, serviceId: string | null, id = `${role}-${serviceId}`): UserPrincipal {
  return { kind: 'user', id, label: id, role, serviceId, siteIds: ['site'], sessionId: 's' };
}
const apiKey: ApiKeyPrincipal = { kind: 'api_key', id: 'key', label: 'key', scopes: ['requests:read'], siteIds: ['site'] };

const confidential = {
  id: 'r1',
  subject: 'Situation familiale',
  confidentiality: 'confidential' as const,
  authorServiceId: SERVICE_X,
  createdByUserId: 'author',
  notes: 'Violences conjugales, ne pas appeler au domicile',
  reformulation: 'Cherche un hébergement d’urgence',
};

describe('confidentiality', () => {
  it.each([
    ['an agent of the author’s service', user('agent', SERVICE_X), true],
    ['the author, even without a service', user('agent', null, 'author'), true],
    ['a supervisor of another service', user('supervisor', SERVICE_Y), true],
    ['an admin without a service', user('admin', null), true],
    ['an agent of another service', user('agent', SERVICE_Y), false],
    ['an agent without a service', user('agent', null), false],
    ['an API key', apiKey, false],
  ])('lets %s read: %s', (_who, principal, expected) => {
    expect(canReadConfidential(principal, confidential)).toBe(expected);
  });

  it('lets everyone read a normal request', () => {
    expect(canReadConfidential(apiKey, { ...confidential, confidentiality: 'normal' })).toBe(true);
  });

  it('leaves the fields out entirely rather than blanking them', () => {
    const seen = redactRequest(user('agent', SERVICE_Y), confidential);
    expect('notes' in seen).toBe(false);
    expect('reformulation' in seen).toBe(false);
    expect(JSON.parse(JSON.stringify(seen))).toEqual({
      id: 'r1',
      subject: 'Situation familiale',
      confidentiality: 'confidential',
      authorServiceId: SERVICE_X,
      createdByUserId: 'author',
    });
    expect(redactRequest(user('supervisor', SERVICE_Y), confidential)).toBe(confidential);
  });

  it('takes confidential text out of timeline snapshots and changes, keeping the rest', () => {
    expect(redactEventData({ subject: 'S', notes: 'secret', reformulation: 'secret' })).toEqual({ subject: 'S' });
    expect(
      redactEventData({ changes: { notes: { from: null, to: 'secret' }, complexity: { from: 'simple', to: 'complex' } } }),
    ).toEqual({ changes: { complexity: { from: 'simple', to: 'complex' } } });
    expect(redactEventData({ from: 'open', to: 'in_progress' })).toEqual({ from: 'open', to: 'in_progress' });
  });
});
