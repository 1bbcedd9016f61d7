import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { Role } from './principal';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  email: string;

  @Column('text', { select: false })
  passwordHash: string;

  @Column('text')
  displayName: string;

  @Column('text')
  role: Role;

  @Column('uuid', { nullable: true })
  serviceId: string | null;

  @Column('text')
  locale: 'fr' | 'en';

  @Column('boolean')
  active: boolean;

  @Column('timestamptz', { nullable: true })
  lastLoginAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}

@Entity('user_sites')
export class UserSite {
  @Column('uuid', { primary: true })
  userId: string;

  @Column('uuid', { primary: true })
  siteId: string;
}
