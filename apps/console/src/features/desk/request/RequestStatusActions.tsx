import { Button, Group, Menu } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { REQUEST_OUTCOMES, type RequestRecord } from '../../../api/types';
import { ProblemAlert } from '../../../shared/ProblemAlert';
import { useChangeStatus } from './useRequests';

/** Answer (with how: information, advice, accompaniment) or close the request. */
export function RequestStatusActions({ request, onChanged }: { request: RequestRecord; onChanged(request: RequestRecord): void }) {
  const { t } = useTranslation();
  const change = useChangeStatus();
  const open = request.status === 'open' || request.status === 'in_progress';
  return (
    <Group gap="xs">
      {open && (
        <Menu>
          <Menu.Target>
            <Button variant="outline" color="teal.9" loading={change.isPending}>
              {t('request.answered')}
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            {REQUEST_OUTCOMES.map((outcome) => (
              <Menu.Item key={outcome} onClick={() => change.mutate({ request, status: 'answered', outcome }, { onSuccess: onChanged })}>
                {t(`outcome.${outcome}`)}
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
      )}
      {request.status !== 'closed' && (
        <Button variant="default" onClick={() => change.mutate({ request, status: 'closed' }, { onSuccess: onChanged })} loading={change.isPending}>
          {t('request.close')}
        </Button>
      )}
      <ProblemAlert error={change.error} />
    </Group>
  );
}
