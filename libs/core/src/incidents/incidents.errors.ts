import { ConflictError, UnprocessableError } from '../errors/domain-error';

/** Codes clients can switch on. */
export enum IncidentErrorCode {
  AlertAlreadyAcknowledged = 'alert_already_acknowledged',
  IncidentClosed = 'incident_closed',
  StaleVersion = 'stale_version',
}

/** Someone took the alert first: one acknowledgement per alert, and the chain has stopped already. */
export class IncidentAlertAlreadyAcknowledgedError extends ConflictError {
  constructor(alertId: string) {
    super(`Incident alert ${alertId} was already acknowledged`, IncidentErrorCode.AlertAlreadyAcknowledged);
  }
}

/** A closed incident is part of the register: it is no longer edited, closed again or alerted on. */
export class IncidentClosedError extends ConflictError {
  constructor(incidentId: string) {
    super(`Incident ${incidentId} is closed`, IncidentErrorCode.IncidentClosed);
  }
}

export class IncidentStaleVersionError extends ConflictError {
  constructor(entity: string, id: string, current: number) {
    super(`${entity} ${id} is now at version ${current}; reload it and apply the change again`, IncidentErrorCode.StaleVersion);
  }
}

/** A linked record (visitor, ticket, request, counter, user) is not on the incident's site. */
export class IncidentLinkError extends UnprocessableError {
  constructor(field: string) {
    super(`${field} does not belong to this site`, 'invalid_link', [{ field, message: 'not found on this site' }]);
  }
}
