import { Module } from '@nestjs/common';
import { JobsModule } from '@guichet/jobs/jobs.module';
import { ServiceOrdersService } from './service-orders.service';

/** Service orders for the API; their follow-ups are the worker's (ServiceOrderFollowupsModule). */
@Module({
  imports: [JobsModule],
  providers: [ServiceOrdersService],
  exports: [ServiceOrdersService],
})
export class ServiceOrdersModule {}
