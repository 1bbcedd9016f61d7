import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type AuditAction = 'create' | 'update' | 'delete';
export type AuditChanges = Record<string, { from?: unknown; to?: unknown }>;

@Entity('audit_entries')
export class AuditEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('timestamptz')
  at: Date;

  @Column('text')
  actorType: 'user' | 'api_key' | 'system';

  @Column('uuid', { nullable: true })
  actorId: string | null;

  @Column('text')
  actorLabel: string;

  @Column('uuid', { nullable: true })
  siteId: string | null;

  @Column('text')
  action: AuditAction;

  @Column('text')
  entity: string;

  @Column('text')
  entityId: string;

  @Column('jsonb')
  changes: AuditChanges;

  @Column('text', { nullable: true })
  requestId: string | null;
}
