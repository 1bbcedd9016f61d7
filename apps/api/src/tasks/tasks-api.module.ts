import { Module } from '@nestjs/common';
import { TasksModule } from '@guichet/core/tasks/tasks.module';
import { CallbacksController, NextUpController, TasksController } from './tasks.controller';

@Module({ imports: [TasksModule], controllers: [TasksController, CallbacksController, NextUpController] })
export class TasksApiModule {}
