import { DEFAULT_LEVELS, escalationJobId, EscalationLevel, planSteps, stepRooms } from './escalation-policy';
import { renderEscalationMail } from './incident-escalation.service';

const level = (overrides: Partial<EscalationLevel>): EscalationLevel => ({
  name: 'Niveau',
  delaySeconds: 60,
  notifySupervisors: false,
  notifyAdmins: false,
  notifySecurity: false,
  userIds: [],
  emails: [],
  sendEmail: false,
  ...overrides,
});

describe('planSteps', () => {
  const raisedAt = new Date('2026-11-28T10:00:00Z');
  const policy = {
    securityUserIds: ['guard'],
    securityEmails: ['poste@site.fr'],
    levels: [level({ name: 'Responsable', delaySeconds: 90, userIds: ['manager'] }), level({ name: 'Direction', delaySeconds: 30, notifyAdmins: true, notifySecurity: true, sendEmail: true })],
  };

  it('alerts the supervisors at once, then each level after the sum of the delays before it', () => {
    const steps = planSteps('supervisor', policy, { adminUserIds: ['admin'] }, raisedAt);
    expect(steps.map((s) => [s.step, s.name, s.dueAt.toISOString()])).toEqual([
      [0, 'supervisor', '2026-11-28T10:00:00.000Z'],
      [1, 'Responsable', '2026-11-28T10:01:30.000Z'],
      [2, 'Direction', '2026-11-28T10:02:00.000Z'],
    ]);
    expect(steps[0]).toMatchObject({ targets: { supervisors: true, userIds: [], emails: [] }, sendEmail: false });
    expect(steps[1].targets).toEqual({ supervisors: false, userIds: ['manager'], emails: [] });
    expect(steps[2].targets).toEqual({ supervisors: false, userIds: ['admin', 'guard'], emails: ['poste@site.fr'] });
  });

  it('adds the security contacts to a security call from the first second, and mails them', () => {
    const [first] = planSteps('security', policy, { adminUserIds: [] }, raisedAt);
    expect(first).toMatchObject({ name: 'security', targets: { supervisors: true, userIds: ['guard'], emails: ['poste@site.fr'] }, sendEmail: true });
  });

  it('refuses a delay that is not a positive integer (the chain would fire out of order)', () => {
    for (const delaySeconds of [0, -1, 0.5]) {
      expect(() => planSteps('supervisor', { ...policy, levels: [level({ delaySeconds, notifySupervisors: true })] }, { adminUserIds: [] }, raisedAt)).toThrow(/positive/);
    }
  });

  it('has a default chain that always alerts someone', () => {
    expect(DEFAULT_LEVELS.length).toBeGreaterThan(0);
    expect(DEFAULT_LEVELS.every((l) => l.delaySeconds > 0 && l.notifySupervisors)).toBe(true);
  });

  it('builds job ids BullMQ accepts, one per step', () => {
    expect(escalationJobId('a0a0a0a0-0000-4000-8000-000000000001', 2)).toBe('incident-escalation-a0a0a0a0-0000-4000-8000-000000000001-2');
    expect(escalationJobId('x', 1)).not.toContain(':');
  });

  it('sends private events to the supervisors room and the people alerted, once each', () => {
    expect(stepRooms('site', { supervisors: true, userIds: ['u1', 'raiser'], emails: [] }, 'raiser')).toEqual(['supervisors:site', 'user:u1', 'user:raiser']);
    expect(stepRooms('site', { supervisors: false, userIds: [], emails: ['a@b.fr'] }, null)).toEqual([]);
  });
});

describe('renderEscalationMail', () => {
  it('says where, when (site time) and which level, without visitor data', () => {
    const { subject, text } = renderEscalationMail(
      {
        step: 1,
        name: 'Responsable de site',
        kind: 'security',
        severity: 'aggression',
        place: 'Hall',
        raised_at: new Date('2026-07-01T12:00:05Z'),
        site_name: 'Mairie',
        time_zone: 'Europe/Paris',
        counter_name: '3',
      },
      'https://guichet.example/',
    );
    expect(subject).toBe("[Guichet] Mairie : appel sécurité — niveau 1 (Responsable de site), personne n'a encore pris l'alerte");
    expect(text).toContain('Déclenchée le 01/07/2026 à 14:00:05');
    expect(text).toContain('Lieu : guichet 3, Hall');
    expect(text).toContain('gravité : agression');
  });
});
