import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { WeeklyHours } from './opening-hours';

export interface ServiceLocation {
  building?: string | null;
  floor?: string | null;
  office?: string | null;
}

/** An internal service or department of a site, where visitors are referred. */
@Entity('services')
export class Service {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  siteId: string;

  /** Unique within the site whatever its case. */
  @Column('text')
  name: string;

  @Column('text', { nullable: true })
  code: string | null;

  @Column('jsonb', { nullable: true })
  location: ServiceLocation | null;

  @Column('text', { nullable: true })
  phone: string | null;

  @Column('text', { nullable: true })
  email: string | null;

  /** null: the site's hours apply. The site's closures apply either way. */
  @Column('jsonb', { nullable: true })
  openingHours: WeeklyHours | null;

  /** What the service handles, in the words an agent would search for. */
  @Column('text')
  description: string;

  @Column('text', { array: true })
  keywords: string[];

  @Column('boolean')
  active: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}
