import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { RequestsModule } from '../requests/requests.module';
import { ChannelVisitorsService } from './channel-visitors.service';
import { EmailInboundService } from './email-inbound.service';
import { EmailRepliesService } from './email-replies.service';
import { PhoneCallsService } from './phone-calls.service';

/** The e-mail and phone channels: they feed requests (RequestsService) and recognise visitors. */
@Module({
  imports: [RequestsModule, MailModule],
  providers: [ChannelVisitorsService, EmailInboundService, EmailRepliesService, PhoneCallsService],
  exports: [EmailInboundService, EmailRepliesService, PhoneCallsService],
})
export class ChannelsModule {}
