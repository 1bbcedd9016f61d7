import { ConflictError } from '../errors/domain-error';

export enum OrganisationErrorCode {
  StaleVersion = 'stale_version',
  SiteNotEmpty = 'site_not_empty',
  InUse = 'in_use',
}

/** The caller edited from an old copy: someone changed the record since. */
export class StaleVersionError extends ConflictError {
  constructor(entity: string, id: string, current: number) {
    super(`${entity} ${id} is now at version ${current}; reload it and apply the change again`, OrganisationErrorCode.StaleVersion);
  }
}
