import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Partner } from './partner.entity';
import { PartnersService } from './partners.service';
import { Service } from './service.entity';
import { ServicesService } from './services.service';
import { Site } from './site.entity';
import { SitesService } from './sites.service';
import { StaffMember } from './staff.entity';
import { StaffService } from './staff.service';

/** The directory of sites, their services and staff, and outside partners: what orientation draws on. */
@Module({
  imports: [TypeOrmModule.forFeature([Site, Service, StaffMember, Partner])],
  providers: [SitesService, ServicesService, StaffService, PartnersService],
  exports: [TypeOrmModule, SitesService, ServicesService, StaffService, PartnersService],
})
export class OrganisationModule {}
