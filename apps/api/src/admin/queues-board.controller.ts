import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { serialize } from 'cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '@guichet/config/app-config';
import { Auth } from '../common/auth.decorators';
import { BOARD_COOKIE, BOARD_PATH } from './queues-board';

@ApiTags('admin')
@Controller('admin/queues')
export class QueuesBoardController {
  constructor(private readonly config: AppConfig) {}

  /** Lets the admin's browser open the job queue board at /admin/queues for the life of the access token. */
  @Auth({ minRole: 'admin' })
  @Post('session')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Sets an HttpOnly cookie for /admin/queues' })
  session(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): void {
    const token = request.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? '';
    reply.header(
      'set-cookie',
      serialize(BOARD_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        path: BOARD_PATH,
        maxAge: this.config.jwt.accessTtlSeconds,
        secure: this.config.get('NODE_ENV') === 'production',
      }),
    );
  }
}
