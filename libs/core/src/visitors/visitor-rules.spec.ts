import { ValidationError } from '../errors/domain-error';
import {
  applyVisitorPatch,
  defaultRetention,
  displayName,
  duplicateScore,
  isAnonymous,
  mergeVisitorStates,
  normalisePhone,
  VisitorState,
} from './visitor-rules';

const NOW = new Date('2026-03-10T09:00:00Z');
const ID = '0b9f6c1e-5a4d-4c3b-9a2e-1f0e9d8c7b6a';

function fieldsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return (error.errors ?? []).map((e) => e.field);
    throw error;
  }
  throw new Error('expected a ValidationError');
}

const blank: VisitorState = applyVisitorPatch(null, {}, NOW);

describe('normalisePhone', () => {
  it.each(['06 12 34 56 78', '+33612345678', '0612345678', '+33 6 12 34 56 78', '06.12.34.56.78', '0033 6 12 34 56 78'])(
    'reads %s as the same French mobile',
    (input) => expect(normalisePhone(input)).toBe('+33612345678'),
  );

  it('keeps foreign numbers written with their prefix', () => {
    expect(normalisePhone('+44 7911 123456')).toBe('+447911123456');
  });

  it.each(['06 12', '12345', 'abc', '+33 6 12 34 56 78 90 12'])('refuses %s', (input) => expect(normalisePhone(input)).toBeNull());
});

describe('displayName and anonymous', () => {
  it('prefers the names, then the e-mail, then the phone, then a short reference', () => {
    expect(displayName({ firstName: 'Héloïse', lastName: 'Dupré', email: 'h@x.fr', phone: null }, ID)).toBe('Héloïse Dupré');
    expect(displayName({ firstName: null, lastName: 'Dupré', email: null, phone: null }, ID)).toBe('Dupré');
    expect(displayName({ firstName: null, lastName: null, email: 'h@x.fr', phone: '+33612345678' }, ID)).toBe('h@x.fr');
    expect(displayName({ firstName: null, lastName: null, email: null, phone: '+33612345678' }, ID)).toBe('+33612345678');
    expect(displayName({ firstName: null, lastName: null, email: null, phone: null }, ID)).toBe('#0b9f6c1e');
  });

  it('calls anonymous only someone with no name and no contact', () => {
    expect(isAnonymous({ firstName: null, lastName: null, email: null, phone: null })).toBe(true);
    expect(isAnonymous({ firstName: null, lastName: null, email: null, phone: '+33612345678' })).toBe(false);
    expect(isAnonymous({ firstName: 'Léa', lastName: null, email: null, phone: null })).toBe(false);
  });
});

describe('applyVisitorPatch', () => {
  it('creates an anonymous walk-in with the defaults', () => {
    expect(blank).toEqual({
      type: 'citizen',
      firstName: null,
      lastName: null,
      phone: null,
      email: null,
      address: null,
      preferredLanguage: null,
      needs: [],
      needsOther: null,
      consent: { given: false, at: null, purposes: [] },
      retentionUntil: '2029-03-10',
      notes: null,
    });
  });

  it('normalises the phone, trims texts, orders needs and drops an empty address', () => {
    const state = applyVisitorPatch(
      null,
      {
        firstName: '  Héloïse ',
        phone: '06 12 34 56 78',
        preferredLanguage: 'AR',
        needs: ['urgency', 'reduced_mobility'],
        address: { street: ' ', city: '' },
      },
      NOW,
    );
    expect(state).toMatchObject({ firstName: 'Héloïse', phone: '+33612345678', preferredLanguage: 'ar', needs: ['reduced_mobility', 'urgency'] });
    expect(state.address).toBeNull();
  });

  it('lists every bad field at once', () => {
    expect(fieldsOf(() => applyVisitorPatch(null, { phone: '06 12', needs: ['other'], retentionUntil: '2020-01-01' }, NOW))).toEqual([
      'phone',
      'needsOther',
      'retentionUntil',
    ]);
  });

  it('keeps needsOther only with the other need', () => {
    expect(fieldsOf(() => applyVisitorPatch(null, { needsOther: 'chien guide' }, NOW))).toEqual(['needsOther']);
    const withOther = applyVisitorPatch(null, { needs: ['other'], needsOther: 'chien guide' }, NOW);
    expect(withOther.needsOther).toBe('chien guide');
    expect(applyVisitorPatch(withOther, { needs: ['sight'] }, NOW)).toMatchObject({ needs: ['sight'], needsOther: null });
  });

  it('stamps consent when given, keeps the first stamp, and clears it on withdrawal', () => {
    const given = applyVisitorPatch(null, { consent: { given: true, purposes: ['contact', 'contact', ' survey '] } }, NOW);
    expect(given.consent).toEqual({ given: true, at: NOW, purposes: ['contact', 'survey'] });
    const later = new Date('2026-04-01T00:00:00Z');
    expect(applyVisitorPatch(given, { consent: { given: true, purposes: ['contact'] } }, later).consent.at).toBe(NOW);
    expect(applyVisitorPatch(given, { consent: { given: false } }, later).consent).toEqual({ given: false, at: null, purposes: [] });
    expect(fieldsOf(() => applyVisitorPatch(null, { consent: { given: true } }, NOW))).toEqual(['consent.purposes']);
  });

  it('pushes the retention to three years after each contact unless the write sets it', () => {
    const kept = applyVisitorPatch(null, { retentionUntil: '2026-06-30' }, NOW);
    expect(kept.retentionUntil).toBe('2026-06-30');
    expect(applyVisitorPatch(kept, { notes: 'revenu' }, NOW).retentionUntil).toBe(defaultRetention(NOW));
    const far = applyVisitorPatch(null, { retentionUntil: '2035-01-01' }, NOW);
    expect(applyVisitorPatch(far, { notes: 'revenu' }, NOW).retentionUntil).toBe('2035-01-01');
    expect(applyVisitorPatch(far, { retentionUntil: null }, NOW).retentionUntil).toBe('2029-03-10');
  });

  it('leaves fields not sent as they were and clears those sent as null', () => {
    const before = applyVisitorPatch(null, { firstName: 'Léa', lastName: 'Martin', email: 'lea@x.fr' }, NOW);
    expect(applyVisitorPatch(before, { email: null }, NOW)).toMatchObject({ firstName: 'Léa', lastName: 'Martin', email: null });
  });
});

describe('mergeVisitorStates', () => {
  it('keeps the target, fills its blanks and unites needs, purposes and notes', () => {
    const earlier = new Date('2025-01-01T00:00:00Z');
    const target = applyVisitorPatch(null, { firstName: 'Héloïse', needs: ['hearing'], notes: 'Dossier CAF' }, NOW);
    const source: VisitorState = {
      ...applyVisitorPatch(
        null,
        {
          type: 'client',
          firstName: 'Eloise',
          lastName: 'Dupré',
          phone: '0612345678',
          address: { city: 'Rennes' },
          needs: ['other', 'hearing'],
          needsOther: 'interprète LSF',
          notes: 'Préfère le matin',
          consent: { given: true, purposes: ['contact'] },
          retentionUntil: '2031-01-01',
        },
        NOW,
      ),
    };
    source.consent.at = earlier;
    const merged = mergeVisitorStates(target, source, NOW);
    expect(merged).toMatchObject({
      type: 'citizen',
      firstName: 'Héloïse',
      lastName: 'Dupré',
      phone: '+33612345678',
      address: { city: 'Rennes' },
      needs: ['hearing', 'other'],
      needsOther: 'interprète LSF',
      notes: 'Dossier CAF\n---\nPréfère le matin',
      consent: { given: true, at: earlier, purposes: ['contact'] },
      retentionUntil: '2031-01-01',
    });
  });
});

describe('duplicateScore', () => {
  it('combines independent clues into a likelihood', () => {
    expect(duplicateScore({ samePhone: true, sameEmail: false, nameScore: 0 })).toBe(0.9);
    expect(duplicateScore({ samePhone: true, sameEmail: true, nameScore: 0 })).toBe(0.99);
    expect(duplicateScore({ samePhone: false, sameEmail: false, nameScore: 0.8 })).toBe(0.8);
    expect(duplicateScore({ samePhone: true, sameEmail: false, nameScore: 1 })).toBe(1);
    expect(duplicateScore({ samePhone: false, sameEmail: false, nameScore: 0.4 })).toBe(0);
  });
});
