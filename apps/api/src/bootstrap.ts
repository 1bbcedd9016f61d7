import helmet from '@fastify/helmet';
import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '@guichet/config/app-config';
import { SCOPES } from '@guichet/core/identity/scopes';
import { mountQueuesBoard } from './admin/queues-board';
import { AppModule } from './app.module';
import { createValidationPipe } from './common/validation';
import { RedisIoAdapter } from './live/redis-io.adapter';
import { Metrics } from './ops/metrics';

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function createAdapter(trustProxy: boolean): FastifyAdapter {
  return new FastifyAdapter({
    trustProxy,
    bodyLimit: 1024 * 1024,
    // Keep a caller's X-Request-Id when it is sane so traces join up across systems.
    genReqId: (req: import('node:http').IncomingMessage) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
      (req as unknown as { id: string }).id = id;
      return id;
    },
    requestIdHeader: false,
    return503OnClosing: true,
  });
}

/** Creates the API application fully configured (also used by the e2e tests). */
export async function createApiApp(): Promise<NestFastifyApplication> {
  const trustProxy = process.env.TRUST_PROXY === 'true' || process.env.TRUST_PROXY === '1';
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createAdapter(trustProxy), {
    bufferLogs: true,
  });
  await configureApiApp(app);
  return app;
}

export async function configureApiApp(app: NestFastifyApplication): Promise<void> {
  app.useLogger(app.get(Logger));
  const config = app.get(AppConfig);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });
  app.get(Metrics).instrument(fastify);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: [`'self'`],
        styleSrc: [`'self'`, `'unsafe-inline'`],
        imgSrc: [`'self'`, 'data:'],
        scriptSrc: [`'self'`, `'unsafe-inline'`],
        connectSrc: [`'self'`, 'ws:', 'wss:'],
        // Kiosks and hall displays often reach the server over plain http on the local network:
        // upgrading their asset requests to https would leave them blank.
        upgradeInsecureRequests: null,
      },
    },
  });
  await mountQueuesBoard(app);
  const origins = config.get('CORS_ORIGINS');
  if (origins) app.enableCors({ origin: origins.split(',').map((o) => o.trim()), credentials: false });
  app.setGlobalPrefix('api/v1', {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(createValidationPipe());
  app.useWebSocketAdapter(new RedisIoAdapter(app));
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Guichet API')
      .setDescription(
        'Multichannel reception and ticketing back-office. Errors are RFC 9457 `application/problem+json`. ' +
          'Users authenticate with `Authorization: Bearer <accessToken>` from `/api/v1/auth/login`; ' +
          'integrations and devices with `X-Api-Key`. API key scopes: ' +
          Object.entries(SCOPES)
            .map(([scope, what]) => `\`${scope}\` (${what})`)
            .join(', ') +
          '.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'api-key')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json', useGlobalPrefix: false });
}
