import { Module } from '@nestjs/common';
import { ResourcesModule } from '@guichet/core/resources/resources.module';
import { BookingsController } from './bookings.controller';
import { CalendarsController } from './calendars.controller';
import { ResourcesController } from './resources.controller';

@Module({
  imports: [ResourcesModule],
  controllers: [ResourcesController, BookingsController, CalendarsController],
})
export class ResourcesApiModule {}
