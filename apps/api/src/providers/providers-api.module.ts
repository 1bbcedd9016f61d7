import { Module } from '@nestjs/common';
import { ProvidersModule } from '@guichet/core/providers/providers.module';
import { ProvidersController } from './providers.controller';

@Module({
  imports: [ProvidersModule],
  controllers: [ProvidersController],
})
export class ProvidersApiModule {}
