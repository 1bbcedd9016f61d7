import { Module } from '@nestjs/common';
import { RequestsModule } from '@guichet/core/requests/requests.module';
import { RequestCategoriesController } from './request-categories.controller';
import { RequestsController } from './requests.controller';

@Module({ imports: [RequestsModule], controllers: [RequestCategoriesController, RequestsController] })
export class RequestsApiModule {}
