import { Alert, List, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

/**
 * Shows an API error in the interface language: a message per problem `code` (else per status),
 * the fields in error, and the correlation id that support can find in the logs.
 */
export function ProblemAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : { status: 0, code: 'unknown' };
  const byCode = problem.code ? t(`problems.codes.${problem.code}`, { defaultValue: '' }) : '';
  const message = byCode || t(`problems.status.${problem.status}`, { defaultValue: t('problems.generic') });
  return (
    <Alert color="red" variant="light" title={message} role="alert">
      {problem.errors && problem.errors.length > 0 && (
        <List size="sm">
          {problem.errors.map((e) => (
            <List.Item key={e.field}>{t('problems.field', { field: t(`fields.${e.field}`, { defaultValue: e.field }) })}</List.Item>
          ))}
        </List>
      )}
      {'correlationId' in problem && problem.correlationId && (
        <Text size="xs" c="dimmed">
          {t('problems.reference', { id: problem.correlationId })}
        </Text>
      )}
    </Alert>
  );
}
