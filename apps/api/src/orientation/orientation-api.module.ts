import { Module } from '@nestjs/common';
import { OrientationModule } from '@guichet/core/orientation/orientation.module';
import { OrientationController } from './orientation.controller';
import { TransfersController } from './transfers.controller';

@Module({ imports: [OrientationModule], controllers: [OrientationController, TransfersController] })
export class OrientationApiModule {}
