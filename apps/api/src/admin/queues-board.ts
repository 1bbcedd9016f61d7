import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BoardAdapter } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import { parse } from 'cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError } from '@guichet/core/errors/domain-error';
import { AuthError, AuthErrorCode } from '@guichet/core/identity/identity.errors';
import { AuthService } from '@guichet/core/identity/auth.service';
import { roleAtLeast } from '@guichet/core/identity/principal';
import { QUEUES_BY_NAME } from '@guichet/jobs/job-producer';
import { ProblemFilter } from '../common/problem.filter';

export const BOARD_PATH = '/admin/queues';
export const BOARD_COOKIE = 'guichet_board';

/**
 * Bull Board (waiting, active, failed jobs, retry) for admins. A browser cannot send a Bearer
 * header when it opens a page, so POST /api/v1/admin/queues/session puts the caller's access
 * token in an HttpOnly cookie limited to this path; every board request is then checked exactly
 * like an API call (same token, same session revocation), and only admins get through.
 */
export async function mountQueuesBoard(app: NestFastifyApplication): Promise<void> {
  const queues = app.get<Map<string, Queue>>(QUEUES_BY_NAME);
  const auth = app.get(AuthService);
  const problems = new ProblemFilter();
  const board = new BoardAdapter();
  board.setBasePath(BOARD_PATH);
  createBullBoard({
    queues: [...queues.values()].map((queue) => new BullMQAdapter(queue)),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'Guichet — files de tâches' } },
  });
  await app.register(
    async (scope: FastifyInstance) => {
      scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        try {
          const header = request.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
          const token = header ?? parse(request.headers.cookie ?? '')[BOARD_COOKIE];
          if (!token) throw new AuthError(AuthErrorCode.Unauthenticated, 'Open the queue board from the console (admin session required)');
          const principal = await auth.principalFromAccessToken(token);
          if (!roleAtLeast(principal.role, 'admin')) throw new ForbiddenError('The queue board is for admins');
        } catch (error) {
          const { problem, headers } = problems.toProblem(error, request);
          return reply.status(problem.status).headers(headers).type('application/problem+json').send(problem);
        }
      });
      await scope.register(board.registerPlugin());
    },
    { prefix: BOARD_PATH },
  );
}
