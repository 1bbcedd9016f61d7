import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ClsModule } from 'nestjs-cls';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '@guichet/config/app-config';
import { ConfigModule } from '@guichet/config/config.module';
import { AuditModule } from '@guichet/core/audit/audit.module';
import { IdempotencyModule } from '@guichet/core/idempotency/idempotency.module';
import { IdentityModule } from '@guichet/core/identity/identity.module';
import { OrganisationApiModule } from './organisation/organisation-api.module';
import { LiveModule } from '@guichet/core/live/live.module';
import { RedisModule } from '@guichet/core/redis/redis.module';
import { DatabaseModule } from '@guichet/database/database.module';
import { AuthGuard } from './common/auth.guard';
import { ProblemFilter } from './common/problem.filter';
import { AdminApiModule } from './admin/admin-api.module';
import { AlertsApiModule } from './alerts/alerts-api.module';
import { AuditController } from './audit/audit.controller';
import { AppointmentsApiModule } from './appointments/appointments-api.module';
import { FlowApiModule } from './flow/flow-api.module';
import { OrientationApiModule } from './orientation/orientation-api.module';
import { RequestsApiModule } from './requests/requests-api.module';
import { ChannelsApiModule } from './channels/channels-api.module';
import { StatsApiModule } from './stats/stats-api.module';
import { VisitorsApiModule } from './visitors/visitors-api.module';
import { KnowledgeApiModule } from './knowledge/knowledge-api.module';
import { IncidentsApiModule } from './incidents/incidents-api.module';
import { MessagesApiModule } from './messages/messages-api.module';
import { SurveysApiModule } from './surveys/surveys-api.module';
import { ResourcesApiModule } from './resources/resources-api.module';
import { ApiKeysController } from './identity/api-keys.controller';
import { AuthController } from './identity/auth.controller';
import { UsersController } from './identity/users.controller';
import { GatewayPublisher } from './live/gateway.publisher';
import { LiveGateway } from './live/live.gateway';
import { HealthController } from './ops/health.controller';
import { redactRequest } from './ops/log-redaction';
import { Metrics, MetricsController } from './ops/metrics';
import { ConsoleModule } from './console/console.module';
import { HandoverApiModule } from './handover/handover-api.module';
import { TasksApiModule } from './tasks/tasks-api.module';
import { AgendaApiModule } from './agenda/agenda-api.module';
import { ProvidersApiModule } from './providers/providers-api.module';
import { ServiceOrdersApiModule } from './service-orders/service-orders-api.module';
import { ComplaintsApiModule } from './complaints/complaints-api.module';

@Module({
  imports: [
    ConfigModule,
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.get('LOG_LEVEL'),
          // Fastify already assigned the id (from X-Request-Id or a new uuid); logs and problems share it.
          genReqId: (req) => (req as unknown as { id: string }).id,
          redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
          serializers: { req: redactRequest },
          autoLogging: { ignore: (req) => req.url?.startsWith('/health') ?? false },
          customProps: (req) => ({ requestId: (req as unknown as { id: string }).id }),
        },
      }),
    }),
    ClsModule.forRoot({
      global: true,
      middleware: { mount: true, generateId: true, idGenerator: (req) => String((req as { id?: string }).id) },
    }),
    DatabaseModule.forRoot({ migrate: true }),
    RedisModule,
    AuditModule,
    LiveModule.forRoot(GatewayPublisher),
    IdempotencyModule,
    IdentityModule,
    OrganisationApiModule,
    FlowApiModule,
    StatsApiModule,
    AlertsApiModule,
    AppointmentsApiModule,
    RequestsApiModule,
    ChannelsApiModule,
    OrientationApiModule,
    VisitorsApiModule,
    KnowledgeApiModule,
    IncidentsApiModule,
    MessagesApiModule,
    SurveysApiModule,
    ResourcesApiModule,
    AdminApiModule,
    TerminusModule,
    ProvidersApiModule,
    ServiceOrdersApiModule,
    ComplaintsApiModule,
    HandoverApiModule,
    TasksApiModule,
    AgendaApiModule,
    ConsoleModule,
  ],
  controllers: [AuthController, UsersController, ApiKeysController, AuditController, HealthController, MetricsController],
  providers: [
    Metrics,
    LiveGateway,
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_FILTER, useClass: ProblemFilter },
  ],
})
export class AppModule {}
