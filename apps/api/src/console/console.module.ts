import fastifyStatic from '@fastify/static';
import { Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Paths that belong to the API, the probes or Socket.IO: never answered with the console. */
const SERVER_PATHS = /^\/(api|health|metrics|socket\.io)(\/|$)/;

/**
 * apps/console/dist of the repository, found by walking up from this file: the same code runs
 * from apps/api/src (tests) and from dist/apps/api/src (built).
 */
export function findConsoleDist(from = __dirname): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'apps', 'console', 'dist');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    if (dirname(dir) === dir) return null;
  }
}

/**
 * Serves the built web console (desk, supervisor, kiosk, display) from the API, so one URL gives
 * both. /assets/* are files; any other GET that is not an API path gets index.html (client-side
 * routes such as /desk or /t/{token}). Without a build, the API runs alone.
 */
@Module({})
export class ConsoleModule implements OnApplicationBootstrap {
  private readonly logger = new Logger('ConsoleModule');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /**
   * At bootstrap, once Nest has set Fastify's error and not-found handlers: loading a plugin
   * earlier would seal the API's routes with Fastify's default error handler (plain JSON errors).
   */
  async onApplicationBootstrap(): Promise<void> {
    const root = findConsoleDist();
    if (!root) {
      this.logger.warn('apps/console/dist not found: the console is not served (run `npm run build:console`)');
      return;
    }
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // File names under assets/ carry a content hash: they never change, so browsers keep them.
    await fastify.register(fastifyStatic, { root: join(root, 'assets'), prefix: '/assets/', maxAge: '365d', immutable: true });
    // index.html names the current assets: always revalidated, so a new release is picked up at once.
    const sendIndex = (reply: FastifyReply) => reply.header('cache-control', 'no-cache').sendFile('index.html', root, { cacheControl: false });
    fastify.get('/', (_request, reply) => sendIndex(reply));
    fastify.get('/*', (request, reply) => (SERVER_PATHS.test(request.url) ? reply.callNotFound() : sendIndex(reply)));
  }
}
