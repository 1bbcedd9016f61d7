import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { WeeklyHours } from './opening-hours';
import type { PostalAddress } from './site.entity';

/** An outside organisation (CAF, CPAM, France Travail…) visitors are redirected to. */
@Entity('partners')
export class Partner {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The site whose directory lists this partner. */
  @Column('uuid')
  siteId: string;

  /** Unique within the site whatever its case. */
  @Column('text')
  name: string;

  @Column('text')
  description: string;

  @Column('text', { array: true })
  keywords: string[];

  @Column('jsonb', { nullable: true })
  address: PostalAddress | null;

  @Column('text', { nullable: true })
  phone: string | null;

  @Column('text', { nullable: true })
  email: string | null;

  @Column('text', { nullable: true })
  website: string | null;

  /** null: unknown. Partners keep their own calendar, so the site's closures do not apply. */
  @Column('jsonb', { nullable: true })
  openingHours: WeeklyHours | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}
