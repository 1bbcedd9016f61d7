import { Module } from '@nestjs/common';
import { MessagesService } from './messages.service';

/** Internal messages, broadcasts, reports to management and their read receipts. */
@Module({ providers: [MessagesService], exports: [MessagesService] })
export class MessagesModule {}
