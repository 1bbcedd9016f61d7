import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { ValidationError } from '../errors/domain-error';
import type { Principal } from '../identity/principal';
import { assertSiteAccess } from '../identity/site-access';
import { DEFAULT_LEVELS, EscalationLevel, EscalationPolicy, MAX_LEVEL_DELAY_SECONDS, MAX_LEVELS } from './escalation-policy';
import { IncidentStaleVersionError } from './incidents.errors';

export interface EscalationPolicyInput {
  securityUserIds: string[];
  securityEmails: string[];
  levels: EscalationLevel[];
}

interface PolicyRow {
  site_id: string;
  security_user_ids: string[];
  security_emails: string[];
  version: number;
  updated_at: Date;
}

interface LevelRow {
  name: string;
  delay_seconds: number;
  notify_supervisors: boolean;
  notify_admins: boolean;
  notify_security: boolean;
  user_ids: string[];
  emails: string[];
  send_email: boolean;
}

/** Each site's escalation chain for incident alerts; a site without one uses DEFAULT_LEVELS. */
@Injectable()
export class IncidentPolicyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async get(principal: Principal, siteId: string): Promise<EscalationPolicy> {
    assertSiteAccess(principal, siteId);
    return this.read(this.dataSource.manager, siteId);
  }

  /** The policy as stored (or the default), read in the caller's transaction. */
  async read(manager: EntityManager, siteId: string): Promise<EscalationPolicy> {
    const [policy] = (await manager.query(`SELECT * FROM incident_escalation_policies WHERE site_id = $1`, [siteId])) as PolicyRow[];
    if (!policy) {
      return { siteId, isDefault: true, securityUserIds: [], securityEmails: [], levels: DEFAULT_LEVELS.map((l) => ({ ...l })), version: 0, updatedAt: null };
    }
    const levels = (await manager.query(`SELECT * FROM incident_escalation_levels WHERE site_id = $1 ORDER BY position`, [siteId])) as LevelRow[];
    return {
      siteId,
      isDefault: false,
      securityUserIds: policy.security_user_ids,
      securityEmails: policy.security_emails,
      levels: levels.map((l) => ({
        name: l.name,
        delaySeconds: l.delay_seconds,
        notifySupervisors: l.notify_supervisors,
        notifyAdmins: l.notify_admins,
        notifySecurity: l.notify_security,
        userIds: l.user_ids,
        emails: l.emails,
        sendEmail: l.send_email,
      })),
      version: policy.version,
      updatedAt: policy.updated_at,
    };
  }

  /** Replaces the whole policy (If-Match: its version; 0 while it is the default). Running chains keep the steps they were planned with. */
  async replace(principal: Principal, siteId: string, input: EscalationPolicyInput, expectedVersion?: number): Promise<EscalationPolicy> {
    assertSiteAccess(principal, siteId);
    if (input.levels.length > MAX_LEVELS) throw new ValidationError(`At most ${MAX_LEVELS} levels`, [{ field: 'levels', message: `at most ${MAX_LEVELS}` }]);
    input.levels.forEach((level, i) => {
      if (!Number.isInteger(level.delaySeconds) || level.delaySeconds <= 0 || level.delaySeconds > MAX_LEVEL_DELAY_SECONDS) {
        throw new ValidationError('Escalation delays must be positive', [{ field: `levels.${i}.delaySeconds`, message: `must be between 1 and ${MAX_LEVEL_DELAY_SECONDS}` }]);
      }
      const security = level.notifySecurity && (input.securityUserIds.length > 0 || input.securityEmails.length > 0);
      if (!level.notifySupervisors && !level.notifyAdmins && !security && level.userIds.length === 0 && level.emails.length === 0) {
        throw new ValidationError('Every level must alert someone', [{ field: `levels.${i}`, message: 'alerts nobody' }]);
      }
    });
    return this.dataSource.transaction(async (manager) => {
      // Serialises concurrent replacements of one site's policy, including the very first one.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('incident_policy'), hashtext($1))`, [siteId]);
      const before = await this.read(manager, siteId);
      if (expectedVersion !== undefined && expectedVersion !== before.version) {
        throw new IncidentStaleVersionError('Escalation policy of site', siteId, before.version);
      }
      const userIds = [...new Set([...input.securityUserIds, ...input.levels.flatMap((l) => l.userIds)])];
      if (userIds.length > 0) {
        const found = (await manager.query(
          `SELECT u.id FROM users u JOIN user_sites us ON us.user_id = u.id AND us.site_id = $1 WHERE u.id = ANY($2::uuid[]) AND u.active`,
          [siteId, userIds],
        )) as { id: string }[];
        const known = new Set(found.map((r) => r.id));
        const missing = userIds.find((id) => !known.has(id));
        if (missing) throw new ValidationError('Unknown user for this site', [{ field: 'userIds', message: `user ${missing} is not an active user of this site` }]);
      }
      await manager.query(
        `INSERT INTO incident_escalation_policies (site_id, security_user_ids, security_emails, updated_by_user_id)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (site_id) DO UPDATE SET security_user_ids = $2, security_emails = $3, updated_by_user_id = $4,
                updated_at = now(), version = incident_escalation_policies.version + 1`,
        [siteId, input.securityUserIds, input.securityEmails, principal.kind === 'user' ? principal.id : null],
      );
      await manager.query(`DELETE FROM incident_escalation_levels WHERE site_id = $1`, [siteId]);
      for (const [i, l] of input.levels.entries()) {
        await manager.query(
          `INSERT INTO incident_escalation_levels
             (site_id, position, name, delay_seconds, notify_supervisors, notify_admins, notify_security, user_ids, emails, send_email)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [siteId, i + 1, l.name.trim(), l.delaySeconds, l.notifySupervisors, l.notifyAdmins, l.notifySecurity, l.userIds, l.emails, l.sendEmail],
        );
      }
      const after = await this.read(manager, siteId);
      await this.audit.record(manager, {
        action: before.isDefault ? 'create' : 'update',
        entity: 'incident_escalation_policy',
        entityId: siteId,
        siteId,
        changes: {
          levels: { ...(before.isDefault ? {} : { from: before.levels }), to: after.levels },
          securityUserIds: { ...(before.isDefault ? {} : { from: before.securityUserIds }), to: after.securityUserIds },
          securityEmails: { ...(before.isDefault ? {} : { from: before.securityEmails }), to: after.securityEmails },
        },
      });
      return after;
    });
  }
}
