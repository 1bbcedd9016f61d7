import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

export const AVAILABILITIES = ['available', 'busy', 'away', 'absent'] as const;
export type Availability = (typeof AVAILABILITIES)[number];

/** A person of the site that visitors may be sent to; not necessarily a user of Guichet. */
@Entity('staff')
export class StaffMember {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  siteId: string;

  /** A service of the same site. */
  @Column('uuid', { nullable: true })
  serviceId: string | null;

  /** The Guichet account of this person, when they have one. */
  @Column('uuid', { nullable: true })
  userId: string | null;

  @Column('text')
  firstName: string;

  @Column('text')
  lastName: string;

  @Column('text', { nullable: true })
  jobTitle: string | null;

  @Column('text', { nullable: true })
  phoneExtension: string | null;

  @Column('text', { nullable: true })
  email: string | null;

  @Column('text')
  availability: Availability;

  @Column('text', { nullable: true })
  availabilityNote: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @VersionColumn()
  version: number;
}
