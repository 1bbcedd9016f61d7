import { Badge, Group, Paper, Table, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { FlowSnapshot } from '../../live/flow';
import { minutes } from '../../shared/format';

/** Every queue of the site with its live load. */
export function QueuesTable({ snapshot, connected }: { snapshot: FlowSnapshot; connected: boolean }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="queues-title">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="queues-title">
          {t('supervisor.queues')}
        </Title>
        <Badge color={connected ? 'teal.9' : 'red.9'}>
          {connected ? t('live.online') : t('live.offline')}
        </Badge>
      </Group>
      <Table striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('queue.name')}</Table.Th>
            <Table.Th ta="right">{t('queue.waiting')}</Table.Th>
            <Table.Th ta="right">{t('queue.longest')}</Table.Th>
            <Table.Th ta="right">{t('queue.estimated')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {snapshot.queues.map((q) => (
            <Table.Tr key={q.id} data-testid={`queue-row-${q.prefix}`}>
              <Table.Td>
                <Badge variant="outline" color="gray.8" mr="xs">
                  {q.prefix}
                </Badge>
                {q.name}
              </Table.Td>
              <Table.Td ta="right" fw={700} fz="lg">
                {q.waiting}
              </Table.Td>
              <Table.Td ta="right">{t('common.minutes', { count: minutes(q.longestWaitSeconds) })}</Table.Td>
              <Table.Td ta="right">{t('common.minutes', { count: minutes(q.estimatedWaitSeconds) })}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
