import { Paper, Table, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { FlowSnapshot } from '../../live/flow';
import { minutes } from '../../shared/format';

/** Live load of the queues this counter serves (from the snapshot and `queue.stats`). */
export function CounterQueuesPanel({ snapshot, queueIds }: { snapshot: FlowSnapshot; queueIds: string[] }) {
  const { t } = useTranslation();
  const queues = snapshot.queues.filter((q) => queueIds.includes(q.id));
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="counter-queues-title">
      <Title order={2} size="h4" id="counter-queues-title" mb="xs">
        {t('desk.queues.title')}
      </Title>
      <Table striped verticalSpacing={4} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('queue.name')}</Table.Th>
            <Table.Th ta="right">{t('queue.waiting')}</Table.Th>
            <Table.Th ta="right">{t('queue.longest')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody aria-live="polite">
          {queues.map((q) => (
            <Table.Tr key={q.id}>
              <Table.Td>{q.name}</Table.Td>
              <Table.Td ta="right" fw={700}>
                {q.waiting}
              </Table.Td>
              <Table.Td ta="right">{t('common.minutes', { count: minutes(q.longestWaitSeconds) })}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
