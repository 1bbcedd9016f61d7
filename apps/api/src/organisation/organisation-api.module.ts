import { Module } from '@nestjs/common';
import { OrganisationModule } from '@guichet/core/organisation/organisation.module';
import { PartnersController } from './partners.controller';
import { ServicesController } from './services.controller';
import { SitesController } from './sites.controller';
import { StaffController } from './staff.controller';

@Module({ imports: [OrganisationModule], controllers: [SitesController, ServicesController, StaffController, PartnersController] })
export class OrganisationApiModule {}
