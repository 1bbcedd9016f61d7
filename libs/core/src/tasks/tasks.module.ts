import { Module } from '@nestjs/common';
import { JobsModule } from '@guichet/jobs/jobs.module';
import { CallbacksService } from './callbacks.service';
import { NextUpService } from './next-up.service';
import { TasksService } from './tasks.service';

/** The API side of tasks, callbacks and the next-up list; reminders are the worker's (TaskJobsModule). */
@Module({
  imports: [JobsModule],
  providers: [TasksService, CallbacksService, NextUpService],
  exports: [TasksService, CallbacksService, NextUpService],
})
export class TasksModule {}
