import { Module } from '@nestjs/common';
import { ClsModule } from 'nestjs-cls';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '@guichet/config/app-config';
import { ConfigModule } from '@guichet/config/config.module';
import { AlertEvaluationModule } from '@guichet/core/alerts/alert-evaluation.module';
import { AppointmentJobsModule } from '@guichet/core/appointments/appointment-jobs.module';
import { SurveyJobsModule } from '@guichet/core/surveys/survey-jobs.module';
import { AuditModule } from '@guichet/core/audit/audit.module';
import { LiveModule } from '@guichet/core/live/live.module';
import { RedisEmitterPublisher } from '@guichet/core/live/redis-emitter.publisher';
import { RedisModule } from '@guichet/core/redis/redis.module';
import { DatabaseModule } from '@guichet/database/database.module';
import { JobsModule } from '@guichet/jobs/jobs.module';
import { AlertsProcessor } from './alerts/alerts.processor';
import { FollowupsProcessor } from './followups/followups.processor';
import { EvaluateQueueAlertsHandler } from './alerts/evaluate-queue-alerts.handler';
import { SweepAlertsHandler } from './alerts/sweep-alerts.handler';
import { JOB_HANDLERS, JobRouter } from './jobs/job-router';
import { QUEUE_PROCESSORS } from './jobs/queue-processor';
import { AppointmentsNoShowHandler } from './maintenance/appointments-no-show.handler';
import { MaintenanceProcessor } from './maintenance/maintenance.processor';
import { PurgeAuthHandler } from './maintenance/purge-auth.handler';
import { AppointmentConfirmationHandler } from './notifications/appointment-confirmation.handler';
import { AppointmentReminderHandler } from './notifications/appointment-reminder.handler';
import { NotificationsProcessor } from './notifications/notifications.processor';
import { SurveyInvitationHandler } from './surveys/survey-invitation.handler';
import { SurveyInvitationsSweepHandler } from './surveys/survey-invitations-sweep.handler';
import { WorkerRunner } from './worker-runner';
import { ComplaintSlaModule } from '@guichet/core/complaints/complaint-sla.module';
import { ComplaintSlaEscalationHandler } from './complaints/complaint-sla-escalation.handler';
import { ComplaintSlaSweepHandler } from './complaints/complaint-sla-sweep.handler';
import { ComplaintSlaWarningHandler } from './complaints/complaint-sla-warning.handler';
import { ServiceOrderFollowupsModule } from '@guichet/core/service-orders/service-order-followups.module';
import { ServiceOrderStepHandler } from './service-orders/service-order-step.handler';
import { ServiceOrdersSweepHandler } from './service-orders/service-orders-sweep.handler';
import { IncidentEscalationModule } from '@guichet/core/incidents/incident-escalation.module';
import { IncidentEscalationHandler } from './incidents/incident-escalation.handler';
import { IncidentEscalationSweepHandler } from './incidents/incident-escalation-sweep.handler';
import { TaskJobsModule } from '@guichet/core/tasks/task-jobs.module';
import { TaskReminderHandler } from './tasks/task-reminder.handler';
import { TaskRemindersSweepHandler } from './tasks/task-reminders-sweep.handler';

/**
 * One handler per job name of libs/jobs/src/jobs.ts (`<feature>/<job>.handler.ts`) and one
 * processor per queue (`<feature>/<queue>.processor.ts`); WorkerRunner refuses to start otherwise.
 */
const HANDLERS = [PurgeAuthHandler, AppointmentsNoShowHandler, AppointmentConfirmationHandler, AppointmentReminderHandler, EvaluateQueueAlertsHandler, SweepAlertsHandler, TaskReminderHandler, TaskRemindersSweepHandler, SurveyInvitationHandler, SurveyInvitationsSweepHandler, IncidentEscalationHandler, IncidentEscalationSweepHandler, ServiceOrderStepHandler, ServiceOrdersSweepHandler, ComplaintSlaWarningHandler, ComplaintSlaEscalationHandler, ComplaintSlaSweepHandler];
const PROCESSORS = [MaintenanceProcessor, NotificationsProcessor, AlertsProcessor, FollowupsProcessor];

@Module({
  imports: [
    ConfigModule,
    // Same JSON logs as the API; there is no HTTP here, so only the root pino logger is used.
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ pinoHttp: { level: config.get('LOG_LEVEL'), name: process.env.GUICHET_PROCESS } }),
    }),
    DatabaseModule.forRoot({ migrate: false }),
    RedisModule,
    LiveModule.forRoot(RedisEmitterPublisher),
    JobsModule,
    // Audit entries of jobs (automatic no-shows) are written with the actor "system": no request context.
    ClsModule.forRoot({ global: true }),
    AuditModule,
    AppointmentJobsModule,
    AlertEvaluationModule,
    IncidentEscalationModule,
    SurveyJobsModule,
    TaskJobsModule,
    ServiceOrderFollowupsModule,
    ComplaintSlaModule,
  ],
  providers: [
    ...HANDLERS,
    { provide: JOB_HANDLERS, inject: HANDLERS, useFactory: (...handlers: unknown[]) => handlers },
    JobRouter,
    ...PROCESSORS,
    { provide: QUEUE_PROCESSORS, inject: PROCESSORS, useFactory: (...processors: unknown[]) => processors },
    WorkerRunner,
  ],
})
export class WorkerModule {}
