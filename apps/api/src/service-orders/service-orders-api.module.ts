import { Module } from '@nestjs/common';
import { ServiceOrdersModule } from '@guichet/core/service-orders/service-orders.module';
import { ServiceOrderSettingsController, ServiceOrdersController } from './service-orders.controller';

@Module({
  imports: [ServiceOrdersModule],
  controllers: [ServiceOrdersController, ServiceOrderSettingsController],
})
export class ServiceOrdersApiModule {}
