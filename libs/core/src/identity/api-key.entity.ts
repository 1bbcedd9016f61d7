import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, VersionColumn } from 'typeorm';

@Entity('api_keys')
export class ApiKey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  /** First characters of the key, shown in lists so an admin can tell keys apart. */
  @Column('text')
  prefix: string;

  @Column('text', { select: false })
  secretHash: string;

  @Column('text', { array: true })
  scopes: string[];

  @Column('uuid', { nullable: true })
  createdByUserId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { nullable: true })
  expiresAt: Date | null;

  @Column('timestamptz', { nullable: true })
  revokedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  lastUsedAt: Date | null;

  @VersionColumn()
  version: number;
}

@Entity('api_key_sites')
export class ApiKeySite {
  @Column('uuid', { primary: true })
  apiKeyId: string;

  @Column('uuid', { primary: true })
  siteId: string;
}
