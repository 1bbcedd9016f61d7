import { Module } from '@nestjs/common';
import { AgendaModule } from '@guichet/core/agenda/agenda.module';
import { AgendaController } from './agenda.controller';

@Module({ imports: [AgendaModule], controllers: [AgendaController] })
export class AgendaApiModule {}
