import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsDate, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import {
  MESSAGE_KINDS,
  MESSAGE_PRIORITIES,
  MESSAGE_RECIPIENT_TYPES,
  MessageKind,
  MessagePriority,
  MessageRecipientType,
} from '@guichet/core/messages/messages.service';
import { RequiredText } from '../../common/field-decorators';
import { PageQueryDto } from '../../common/pagination.dto';

export class SendMessageDto {
  /** The site the message belongs to: recipients are its users. */
  @IsUUID('4')
  siteId: string;

  /** management_report: "remonter une information", always to the site's supervisors. */
  @IsOptional()
  @IsIn(MESSAGE_KINDS)
  @ApiPropertyOptional({ enum: MESSAGE_KINDS, default: 'message' })
  kind: MessageKind = 'message';

  /** user: a colleague; service: its members; site: everyone on the site; supervisors: the site's supervisors and admins. */
  @IsOptional()
  @IsIn(MESSAGE_RECIPIENT_TYPES)
  @ApiPropertyOptional({ enum: MESSAGE_RECIPIENT_TYPES })
  recipientType?: MessageRecipientType;

  @IsOptional()
  @IsUUID('4')
  recipientUserId?: string;

  @IsOptional()
  @IsUUID('4')
  recipientServiceId?: string;

  @IsOptional()
  @IsIn(MESSAGE_PRIORITIES)
  @ApiPropertyOptional({ enum: MESSAGE_PRIORITIES, default: 'normal' })
  priority: MessagePriority = 'normal';

  @RequiredText(200)
  subject: string;

  @IsString()
  @MaxLength(8000)
  body: string;

  /** After this instant the message is no longer listed as active (ISO 8601, in the future). */
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  expiresAt?: Date;
}

export class MessageQueryDto extends PageQueryDto {
  @IsOptional()
  @IsUUID('4')
  siteId?: string;

  /** active (default): not expired; all: also expired ones. */
  @IsOptional()
  @IsIn(['active', 'all'])
  @ApiPropertyOptional({ enum: ['active', 'all'], default: 'active' })
  status: 'active' | 'all' = 'active';

  /** Inbox only: unread messages only. */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  unreadOnly?: boolean;
}

export class UnreadQueryDto {
  @IsOptional()
  @IsUUID('4')
  siteId?: string;
}

export class MessageReceiptDto {
  userId: string;
  displayName: string;
  readAt: Date | null;
}

export class MessageDto {
  id: string;
  siteId: string;
  @ApiProperty({ enum: MESSAGE_KINDS })
  kind: string;
  senderUserId: string | null;
  senderName: string | null;
  @ApiProperty({ enum: MESSAGE_RECIPIENT_TYPES })
  recipientType: string;
  recipientUserId: string | null;
  recipientServiceId: string | null;
  @ApiProperty({ enum: MESSAGE_PRIORITIES })
  priority: string;
  subject: string;
  body: string;
  expiresAt: Date | null;
  createdAt: Date;
  /** Not expired. */
  active: boolean;
  /** For a recipient: when they read it (null: unread). */
  readAt?: Date | null;
  /** For the sender, supervisors and admins. */
  recipientCount?: number;
  readCount?: number;
  /** Who had to read it and when they did (sender, supervisors and admins). */
  @ApiPropertyOptional({ type: [MessageReceiptDto] })
  receipts?: MessageReceiptDto[];
}

export class InboxPageDto {
  @ApiProperty({ type: [MessageDto] })
  items: MessageDto[];
  total: number;
  /** Unread among the listed filter. */
  unread: number;
}

export class OutboxPageDto {
  @ApiProperty({ type: [MessageDto] })
  items: MessageDto[];
  total: number;
}

export class UnreadCountDto {
  unread: number;
  /** Of which high or urgent. */
  urgent: number;
}

export class RecipientsQueryDto {
  @IsUUID('4')
  siteId: string;
}

export class RecipientUserDto {
  id: string;
  displayName: string;
  role: string;
  serviceId: string | null;
}

export class RecipientServiceDto {
  id: string;
  name: string;
}

export class RecipientsDto {
  @ApiProperty({ type: [RecipientUserDto] })
  users: RecipientUserDto[];
  @ApiProperty({ type: [RecipientServiceDto] })
  services: RecipientServiceDto[];
}
