import { Module } from '@nestjs/common';
import { RequestsModule } from '../requests/requests.module';
import { SuggestionsService } from './suggestions.service';
import { TransfersService } from './transfers.service';

/** Orientation: where to send a person (suggestions from the directory) and the transfers that send them. */
@Module({
  imports: [RequestsModule],
  providers: [SuggestionsService, TransfersService],
  exports: [SuggestionsService, TransfersService],
})
export class OrientationModule {}
