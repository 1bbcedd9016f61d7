import { Alert, List } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { ProblemAlert } from '../../shared/ProblemAlert';

/** Booking refusals this screen explains itself; anything else falls back to the shared problem alert. */
const OWN_CODES = ['booking_conflict', 'capacity_exceeded', 'period_over', 'resource_inactive', 'booking_cancelled'] as const;

/**
 * A refused booking in the interface language. A conflict lists each resource already taken,
 * by its name (`names`: resource id → name), from the fields the API names (resourceId, equipmentIds[i]).
 */
export function RoomsProblem({ error, names }: { error: unknown; names: Map<string, string> }) {
  const { t } = useTranslation();
  if (!(error instanceof ApiError) || !OWN_CODES.includes(error.code as (typeof OWN_CODES)[number])) return <ProblemAlert error={error} />;
  const taken = error.code === 'booking_conflict' ? (error.problem.errors ?? []).map((e) => resourceNamed(e.message, names)) : [];
  return (
    <Alert color="red" variant="light" role="alert" title={t(`rooms.problems.${error.code}`)}>
      {taken.length > 0 && (
        <List size="sm">
          {taken.map((name) => (
            <List.Item key={name}>{t('rooms.alreadyBooked', { name })}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}

/** The API's conflict message carries the resource id in brackets; the name shown is the local one. */
function resourceNamed(message: string, names: Map<string, string>): string {
  const id = /\(([0-9a-f-]{36})\)/i.exec(message)?.[1];
  return (id && names.get(id)) || message;
}
