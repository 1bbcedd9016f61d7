import { DEMO_LOGINS, DEMO_SITES, demoClosures, MOBILE_SITE_CODE, staffEmail, TOWN_HALL_CODE } from './demo-data';

/** The loader trusts these cross-references; a typo here would fail the whole load at start. */
describe('demo data', () => {
  const serviceCodes = new Set(DEMO_SITES.flatMap((site) => site.services.map((service) => service.code)));

  it('has the town hall and the mobile site', () => {
    expect(DEMO_SITES.map((site) => [site.code, site.mobile])).toEqual([
      [TOWN_HALL_CODE, false],
      [MOBILE_SITE_CODE, true],
    ]);
  });

  it('places every staff member in a service of their own site and links logins that exist', () => {
    const emails = new Set(DEMO_LOGINS.map((login) => login.email));
    for (const site of DEMO_SITES) {
      const own = new Set(site.services.map((service) => service.code));
      for (const person of site.staff) {
        expect(own).toContain(person.serviceCode);
        if (person.userEmail) expect(emails).toContain(person.userEmail);
      }
    }
  });

  it('gives each login known sites, a known service and a password the API would accept', () => {
    const siteCodes = new Set(DEMO_SITES.map((site) => site.code));
    for (const login of DEMO_LOGINS) {
      expect(login.siteCodes.every((code) => siteCodes.has(code))).toBe(true);
      if (login.serviceCode) expect(serviceCodes).toContain(login.serviceCode);
      expect(login.password.length).toBeGreaterThanOrEqual(12);
    }
    expect(DEMO_LOGINS.map((login) => login.role).sort()).toEqual(['admin', 'agent', 'agent', 'supervisor']);
  });

  it('writes valid opening hours: HH:MM, opening before closing', () => {
    const all = DEMO_SITES.flatMap((site) => [site.openingHours, ...site.services.map((s) => s.openingHours ?? {}), ...site.partners.map((p) => p.openingHours)]);
    for (const hours of all) {
      for (const slots of Object.values(hours)) {
        for (const { open, close } of slots ?? []) {
          expect(open).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
          expect(close).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
          expect(open < close).toBe(true);
        }
      }
    }
  });

  it('derives plain ASCII staff e-mail addresses', () => {
    expect(staffEmail({ firstName: 'Élodie', lastName: 'Lefèvre' })).toBe('elodie.lefevre@saint-aubin.example');
    expect(staffEmail({ firstName: 'Marie-Claire', lastName: 'Fontaine' })).toBe('marie-claire.fontaine@saint-aubin.example');
  });

  it('lists the fixed public holidays of a year as closures', () => {
    const dates = demoClosures(2027).map((closure) => closure.from);
    expect(dates).toEqual(expect.arrayContaining(['2027-01-01', '2027-07-14', '2027-12-25']));
  });
});
