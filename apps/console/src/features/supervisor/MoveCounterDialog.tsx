import { Button, Checkbox, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Counter } from '../../api/types';
import type { FlowSnapshot } from '../../live/flow';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { useMoveCounter } from './useSupervisorData';

/** Reassigns a counter (and the agent at it) to other queues, e.g. to absorb a peak. */
export function MoveCounterDialog({ siteId, counter, queues, onClose }: { siteId: string; counter: Counter; queues: FlowSnapshot['queues']; onClose(): void }) {
  const { t } = useTranslation();
  const move = useMoveCounter(siteId);
  const [queueIds, setQueueIds] = useState(counter.queueIds);
  return (
    <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened onClose={onClose} title={t('supervisor.moveTitle', { name: counter.name })}>
      <Stack>
        <Text size="sm">{t('supervisor.moveHint')}</Text>
        <Checkbox.Group value={queueIds} onChange={setQueueIds} label={t('supervisor.servedQueues')}>
          <Stack gap="xs" mt="xs">
            {queues
              .filter((q) => q.active)
              .map((q) => (
                <Checkbox key={q.id} value={q.id} label={`${q.prefix} — ${q.name} (${t('queue.waitingCount', { count: q.waiting })})`} />
              ))}
          </Stack>
        </Checkbox.Group>
        <ProblemAlert error={move.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button disabled={queueIds.length === 0} loading={move.isPending} onClick={() => move.mutate({ counter, queueIds }, { onSuccess: onClose })}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
