import { Module } from '@nestjs/common';
import { AppointmentsModule } from '@guichet/core/appointments/appointments.module';
import { AppointmentsController } from './appointments.controller';

@Module({
  imports: [AppointmentsModule],
  controllers: [AppointmentsController],
})
export class AppointmentsApiModule {}
