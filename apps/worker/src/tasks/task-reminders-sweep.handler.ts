import { Injectable } from '@nestjs/common';
import { TaskRemindersService } from '@guichet/core/tasks/task-reminders.service';
import { JobHandler } from '../jobs/job-router';

/** Every 30 s: the reminders that are due and unsent (their job was lost with Redis). */
@Injectable()
export class TaskRemindersSweepHandler implements JobHandler<'followups.task-reminders-sweep'> {
  readonly job = 'followups.task-reminders-sweep';

  constructor(private readonly reminders: TaskRemindersService) {}

  handle(): Promise<{ sent: number }> {
    return this.reminders.sweep();
  }
}
