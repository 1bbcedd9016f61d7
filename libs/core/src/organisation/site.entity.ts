import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { Closure, WeeklyHours } from './opening-hours';

export interface PostalAddress {
  street?: string | null;
  postalCode?: string | null;
  city?: string | null;
  country?: string | null;
}

@Entity('sites')
export class Site {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  /** Short code, unique across sites whatever its case. */
  @Column('text', { nullable: true })
  code: string | null;

  @Column('jsonb', { nullable: true })
  address: PostalAddress | null;

  @Column('text', { nullable: true })
  phone: string | null;

  @Column('text', { nullable: true })
  email: string | null;

  /** IANA zone; every "per day" rule of the site (hours, numbering, statistics) uses it. */
  @Column('text')
  timeZone: string;

  @Column('jsonb')
  openingHours: WeeklyHours;

  @Column('jsonb')
  closures: Closure[];

  /** An itinerant reception point (agents on tablets), not a fixed desk. */
  @Column('boolean')
  mobile: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}
