import { Injectable } from '@nestjs/common';
import { ServiceOrderFollowupsService } from '@guichet/core/service-orders/service-order-followups.service';
import { JobHandler } from '../jobs/job-router';

/** Every 30 seconds (schedules.ts): follow-up steps and mails that are due but whose job Redis lost. */
@Injectable()
export class ServiceOrdersSweepHandler implements JobHandler<'followups.service-orders-sweep'> {
  readonly job = 'followups.service-orders-sweep';

  constructor(private readonly followups: ServiceOrderFollowupsService) {}

  handle(): Promise<{ orders: number; reminded: number; escalated: number; mails: number }> {
    return this.followups.sweep();
  }
}
