import { Module } from '@nestjs/common';
import { OrganisationModule } from '@guichet/core/organisation/organisation.module';

@Module({ imports: [OrganisationModule], controllers: [] })
export class OrganisationApiModule {}
