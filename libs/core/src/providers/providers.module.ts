import { Module } from '@nestjs/common';
import { ProvidersService } from './providers.service';

/** Providers (prestataires) of a site: service levels, contacts, quality figures, improvement actions. */
@Module({
  providers: [ProvidersService],
  exports: [ProvidersService],
})
export class ProvidersModule {}
