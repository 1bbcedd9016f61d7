import { ConflictError } from '../errors/domain-error';

export enum VisitorErrorCode {
  StaleVersion = 'stale_version',
  /** The visitor was merged into another one: it is read-only, follow `mergedIntoId`. */
  Merged = 'visitor_merged',
  DifferentSites = 'different_sites',
}

export class StaleVisitorError extends ConflictError {
  constructor(id: string, current: number) {
    super(`Visitor ${id} is now at version ${current}; reload it and apply the change again`, VisitorErrorCode.StaleVersion);
  }
}

export class MergedVisitorError extends ConflictError {
  constructor(id: string, mergedIntoId: string) {
    super(`Visitor ${id} was merged into ${mergedIntoId}; use that visitor`, VisitorErrorCode.Merged);
  }
}
