import { Module } from '@nestjs/common';
import { TaskRemindersService } from './task-reminders.service';

/** What the worker runs for tasks: reminders and their sweep. */
@Module({
  providers: [TaskRemindersService],
  exports: [TaskRemindersService],
})
export class TaskJobsModule {}
