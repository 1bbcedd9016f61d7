import { Injectable } from '@nestjs/common';
import { ReminderOutcome, TaskRemindersService } from '@guichet/core/tasks/task-reminders.service';
import { JobPayloads } from '@guichet/jobs/jobs';
import { JobHandler } from '../jobs/job-router';

/** Once per task and reminder time; a done, cancelled or rescheduled task's old job is a no-op. */
@Injectable()
export class TaskReminderHandler implements JobHandler<'followups.task-reminder'> {
  readonly job = 'followups.task-reminder';

  constructor(private readonly reminders: TaskRemindersService) {}

  handle(payload: JobPayloads['followups.task-reminder']): Promise<ReminderOutcome> {
    return this.reminders.fire(payload.taskId, payload.remindAt);
  }
}
