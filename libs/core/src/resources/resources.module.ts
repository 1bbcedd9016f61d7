import { Module } from '@nestjs/common';
import { BookingsService } from './bookings.service';
import { ResourceCalendarService } from './resource-calendar.service';
import { ResourcesService } from './resources.service';

/** Rooms and equipment, their bookings and their iCalendar feeds (C2.2 "organiser une réunion"). */
@Module({
  providers: [ResourcesService, BookingsService, ResourceCalendarService],
  exports: [ResourcesService, BookingsService, ResourceCalendarService],
})
export class ResourcesModule {}
