import { Module } from '@nestjs/common';
import { MessagesModule } from '@guichet/core/messages/messages.module';
import { MessagesController } from './messages.controller';

@Module({ imports: [MessagesModule], controllers: [MessagesController] })
export class MessagesApiModule {}
