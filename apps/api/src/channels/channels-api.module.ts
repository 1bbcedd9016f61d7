import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { ChannelsModule } from '@guichet/core/channels/channels.module';
import { EmailInboundController } from './email-inbound.controller';
import { EmailRepliesController } from './email-replies.controller';
import { PhoneCallsController } from './phone-calls.controller';
import { acceptRawMessages } from './raw-message';

@Module({ imports: [ChannelsModule], controllers: [EmailInboundController, EmailRepliesController, PhoneCallsController] })
export class ChannelsApiModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    acceptRawMessages(this.adapterHost.httpAdapter.getInstance<FastifyInstance>());
  }
}
