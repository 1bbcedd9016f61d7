import { Injectable } from '@nestjs/common';
import ical, { ICalEventStatus } from 'ical-generator';
import { DataSource } from 'typeorm';
import { selectBookings } from './resource-view';
import { ResourcesService } from './resources.service';

/** How far back and ahead the feed reaches: calendar apps re-poll it, so a window is enough. */
const PAST_DAYS = 30;
const FUTURE_DAYS = 366;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The iCalendar feed of one room or equipment item, for calendar apps that poll a URL and cannot
 * sign in: the URL carries the resource's feed secret. Cancelled bookings stay in the feed as
 * CANCELLED so that apps remove the events they already have.
 */
@Injectable()
export class ResourceCalendarService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly resources: ResourcesService,
  ) {}

  async feed(resourceId: string, token: string): Promise<string> {
    const resource = await this.resources.resourceForFeed(resourceId, token);
    const [site] = (await this.dataSource.query(`SELECT name FROM sites WHERE id = $1`, [resource.site_id])) as { name: string }[];
    const now = Date.now();
    const bookings = await selectBookings(
      this.dataSource.manager,
      `b.resource_id = $1 AND b.period && tstzrange($2, $3, '[)')`,
      [resource.id, new Date(now - PAST_DAYS * DAY_MS), new Date(now + FUTURE_DAYS * DAY_MS)],
      'ORDER BY lower(b.period), b.id',
    );
    // Times in UTC (…Z): unambiguous for every app, which shows them in its own zone.
    const calendar = ical({ name: `${resource.name} — ${site.name}`, prodId: { company: 'Guichet', product: 'resources', language: 'FR' } });
    for (const b of bookings) {
      calendar.createEvent({
        id: `${b.id}@guichet`,
        // Each change bumps the version, so apps replace their copy.
        sequence: b.version,
        start: b.starts_at,
        end: b.ends_at,
        stamp: b.updated_at,
        summary: b.title,
        location: [resource.name, resource.location].filter(Boolean).join(', '),
        description: [
          b.attendees ? `Participants : ${b.attendees}` : null,
          b.organiser_name ? `Organisateur : ${b.organiser_name}` : null,
          b.catering_headcount || b.catering_notes ? `Restauration : ${[b.catering_headcount, b.catering_notes].filter(Boolean).join(' — ')}` : null,
        ]
          .filter(Boolean)
          .join('\n'),
        status: b.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      });
    }
    return calendar.toString();
  }
}
