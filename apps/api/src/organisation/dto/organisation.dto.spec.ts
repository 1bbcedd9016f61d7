import { BadRequestException } from '@nestjs/common';
import type { FieldError } from '@guichet/core/errors/domain-error';
import { createValidationPipe } from '../../common/validation';
import { ServiceQueryDto, CreateServiceDto, UpdateServiceDto } from './service.dto';
import { CreateSiteDto, UpdateSiteDto } from './site.dto';
import { CreateStaffDto } from './staff.dto';

const pipe = createValidationPipe();

async function parse<T>(metatype: new () => T, value: object, type: 'body' | 'query' = 'body'): Promise<T> {
  return (await pipe.transform(value, { type, metatype })) as T;
}

async function badFields(metatype: new () => unknown, value: object, type: 'body' | 'query' = 'body'): Promise<string[]> {
  const error = await parse(metatype, value, type).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof BadRequestException)) throw new Error('expected a 400');
  const { errors } = error.getResponse() as { errors: FieldError[] };
  return [...new Set(errors.map((e) => e.field))].sort();
}

const SITE_ID = '0b8c7a52-1f0e-4c3b-9a51-3f4d2f8e6a10';

describe('organisation DTOs', () => {
  it('trims text, turns an empty optional field into null and keeps hours as sent', async () => {
    const dto = await parse(CreateServiceDto, {
      siteId: SITE_ID,
      name: '  État civil ',
      phone: '',
      keywords: [' mariage '],
      openingHours: { mon: [{ open: '08:30', close: '12:00' }] },
    });
    expect(dto).toMatchObject({ name: 'État civil', phone: null, keywords: ['mariage'] });
    expect(JSON.parse(JSON.stringify(dto.openingHours))).toEqual({ mon: [{ open: '08:30', close: '12:00' }] });
  });

  it('requires the name and the site, and refuses a blank name', async () => {
    expect(await badFields(CreateServiceDto, {})).toEqual(['name', 'siteId']);
    expect(await badFields(CreateSiteDto, { name: '   ', timeZone: 'Europe/Paris' })).toEqual(['name']);
  });

  it('lets a patch clear nullable fields but not required ones', async () => {
    const cleared = await parse(UpdateServiceDto, { code: null, openingHours: null, location: null });
    expect(cleared).toMatchObject({ code: null, openingHours: null, location: null });
    expect(await badFields(UpdateServiceDto, { name: null, description: null, keywords: null, active: null, version: null })).toEqual([
      'active',
      'description',
      'keywords',
      'name',
      'version',
    ]);
    expect(await badFields(UpdateSiteDto, { timeZone: null, openingHours: null, closures: null, mobile: null })).toEqual([
      'closures',
      'mobile',
      'openingHours',
      'timeZone',
    ]);
  });

  it('does not let a patch move a record to another site', async () => {
    expect(await badFields(UpdateServiceDto, { siteId: SITE_ID })).toEqual(['siteId']);
  });

  it('names nested fields of hours, closures and addresses', async () => {
    const fields = await badFields(CreateSiteDto, {
      name: 'Mairie',
      timeZone: 'Europe/Paris',
      address: { city: 42, planet: 'Mars' },
      openingHours: { wed: [{ open: '14:00', close: '18:00' }, { open: '17:00', close: '19:00' }] },
      closures: [{ from: '2026-05-01', to: '2026-04-30', label: 'Fête du travail' }],
    });
    expect(fields).toEqual(['address.city', 'address.planet', 'closures[0].to', 'openingHours.wed[1].open']);
  });

  it('checks e-mails, phones and availability', async () => {
    const fields = await badFields(CreateStaffDto, {
      siteId: SITE_ID,
      firstName: 'Léa',
      lastName: 'Roux',
      email: 'lea.roux',
      availability: 'on-holiday',
    });
    expect(fields).toEqual(['availability', 'email']);
    expect(await parse(CreateServiceDto, { siteId: SITE_ID, name: 'Accueil', phone: '+33 (0)5 56-00.00.00' })).toMatchObject({
      phone: '+33 (0)5 56-00.00.00',
    });
    expect(await badFields(CreateServiceDto, { siteId: SITE_ID, name: 'Accueil', phone: 'call me' })).toEqual(['phone']);
  });

  it('reads booleans and numbers from the query string', async () => {
    expect(await parse(ServiceQueryDto, { active: 'false', page: '2', limit: '10' }, 'query')).toMatchObject({
      active: false,
      page: 2,
      limit: 10,
    });
    expect(await badFields(ServiceQueryDto, { active: 'maybe', limit: '201', siteId: 'x' }, 'query')).toEqual(['active', 'limit', 'siteId']);
  });
});
