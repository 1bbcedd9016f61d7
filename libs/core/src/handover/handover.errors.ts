import { ConflictError, UnprocessableError } from '../errors/domain-error';

export enum HandoverErrorCode {
  AlreadyAcknowledged = 'already_acknowledged',
  AlreadyClosed = 'already_closed',
  OwnNote = 'own_note',
}

export class NoteAlreadyAcknowledgedError extends ConflictError {
  constructor(noteId: string) {
    super(`You already acknowledged handover note ${noteId}`, HandoverErrorCode.AlreadyAcknowledged);
  }
}

export class EntryAlreadyClosedError extends ConflictError {
  constructor(entryId: string) {
    super(`Logbook entry ${entryId} is already closed`, HandoverErrorCode.AlreadyClosed);
  }
}

/** A note is acknowledged by the incoming agents, not by its author. */
export class OwnNoteError extends UnprocessableError {
  constructor(noteId: string) {
    super(`Handover note ${noteId} is yours: the incoming agents acknowledge it`, HandoverErrorCode.OwnNote);
  }
}
