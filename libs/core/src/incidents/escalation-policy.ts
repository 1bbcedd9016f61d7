import { rooms } from '@guichet/live/rooms';

export const INCIDENT_SEVERITIES = ['tension', 'conflict', 'aggression', 'security'] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];

export const ALERT_KINDS = ['supervisor', 'security'] as const;
export type IncidentAlertKind = (typeof ALERT_KINDS)[number];

/** Highest accepted delay between two levels (a day); a chain longer than this is not an escalation. */
export const MAX_LEVEL_DELAY_SECONDS = 86_400;
export const MAX_LEVELS = 10;

/** One level of a site's chain: who is alerted when nobody acknowledged during `delaySeconds` after the previous level. */
export interface EscalationLevel {
  name: string;
  delaySeconds: number;
  /** The supervisors room of the site (every supervisor and admin watching it). */
  notifySupervisors: boolean;
  /** Admins attached to the site. */
  notifyAdmins: boolean;
  /** The site's security contacts (policy `securityUserIds` and `securityEmails`). */
  notifySecurity: boolean;
  /** Designated people, e.g. the site manager. */
  userIds: string[];
  /** Addresses mailed when `sendEmail` (an on-call mailbox, a security company). */
  emails: string[];
  /** Also mail the people of this level (and `emails`). */
  sendEmail: boolean;
}

export interface EscalationPolicy {
  siteId: string;
  /** True while the site has no policy of its own: these are the defaults, version 0. */
  isDefault: boolean;
  securityUserIds: string[];
  securityEmails: string[];
  levels: EscalationLevel[];
  version: number;
  updatedAt: Date | null;
}

/**
 * Without a policy of its own a site escalates to its supervisors again by mail after 2 minutes,
 * then to its admins and security contacts after 3 more: someone always hears about an alert
 * nobody took, even before an admin configured anything.
 */
export const DEFAULT_LEVELS: readonly EscalationLevel[] = [
  {
    name: 'Superviseurs (relance)',
    delaySeconds: 120,
    notifySupervisors: true,
    notifyAdmins: false,
    notifySecurity: false,
    userIds: [],
    emails: [],
    sendEmail: true,
  },
  {
    name: 'Administrateurs et sécurité',
    delaySeconds: 180,
    notifySupervisors: true,
    notifyAdmins: true,
    notifySecurity: true,
    userIds: [],
    emails: [],
    sendEmail: true,
  },
];

/** Who one step alerts, resolved when the alert is raised (stored in incident_alert_steps.targets). */
export interface StepTargets {
  supervisors: boolean;
  userIds: string[];
  emails: string[];
}

export interface PlannedStep {
  step: number;
  name: string;
  dueAt: Date;
  targets: StepTargets;
  sendEmail: boolean;
}

/** What a plan needs to know about the site beyond its policy. */
export interface SiteContacts {
  adminUserIds: string[];
}

const unique = (values: string[]) => [...new Set(values)];

/**
 * The whole chain of one alert. Step 0 is immediate: the supervisors room, and for "call
 * security" the security contacts too (mailed at once). Step n is due the sum of the delays of
 * levels 1..n after the alert: acknowledging at any point leaves the remaining steps undone.
 */
export function planSteps(kind: IncidentAlertKind, policy: Pick<EscalationPolicy, 'levels' | 'securityUserIds' | 'securityEmails'>, contacts: SiteContacts, raisedAt: Date): PlannedStep[] {
  const security = kind === 'security';
  const steps: PlannedStep[] = [
    {
      step: 0,
      name: kind,
      dueAt: raisedAt,
      targets: {
        supervisors: true,
        userIds: security ? unique(policy.securityUserIds) : [],
        emails: security ? unique(policy.securityEmails) : [],
      },
      sendEmail: security && (policy.securityEmails.length > 0 || policy.securityUserIds.length > 0),
    },
  ];
  let at = raisedAt.getTime();
  policy.levels.forEach((level, index) => {
    if (!(Number.isInteger(level.delaySeconds) && level.delaySeconds > 0)) throw new Error(`level ${index + 1}: delay must be a positive integer`);
    at += level.delaySeconds * 1000;
    steps.push({
      step: index + 1,
      name: level.name,
      dueAt: new Date(at),
      targets: {
        supervisors: level.notifySupervisors,
        userIds: unique([
          ...level.userIds,
          ...(level.notifyAdmins ? contacts.adminUserIds : []),
          ...(level.notifySecurity ? policy.securityUserIds : []),
        ]),
        emails: unique([...level.emails, ...(level.notifySecurity ? policy.securityEmails : [])]),
      },
      sendEmail: level.sendEmail,
    });
  });
  return steps;
}

/** BullMQ job id of one step: the same step is enqueued once, by the API or by the sweep. */
export function escalationJobId(alertId: string, step: number): string {
  return `incident-escalation-${alertId}-${step}`;
}

/** The supervisors room and each person a step alerts (and the raiser, who sees their alert land). */
export function stepRooms(siteId: string, targets: StepTargets, raisedByUserId: string | null): string[] {
  return [
    ...(targets.supervisors ? [rooms.supervisors(siteId)] : []),
    ...new Set([...targets.userIds, ...(raisedByUserId ? [raisedByUserId] : [])].map((id) => rooms.user(id))),
  ];
}
