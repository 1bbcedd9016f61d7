import { Button, Checkbox, Paper, Radio, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Counter } from '../../api/types';
import type { FlowSnapshot } from '../../live/flow';
import { ProblemAlert } from '../../shared/ProblemAlert';
import type { CounterSession } from './useCounterSession';

/** First step of the day: take a free counter and choose which of its queues to serve. */
export function OpenCounterCard({ counters, snapshot, session }: { counters: Counter[]; snapshot: FlowSnapshot; session: CounterSession }) {
  const { t } = useTranslation();
  const taken = new Set(snapshot.counters.filter((c) => c.state !== 'closed').map((c) => c.counterId));
  const free = counters.filter((c) => c.active && !taken.has(c.id));
  const [counterId, setCounterId] = useState<string>();
  const [queueIds, setQueueIds] = useState<string[]>([]);
  const queueName = (id: string) => snapshot.queues.find((q) => q.id === id)?.name ?? id;
  const chosen = free.find((c) => c.id === counterId);

  const choose = (id: string) => {
    setCounterId(id);
    setQueueIds(free.find((c) => c.id === id)?.queueIds ?? []);
  };

  return (
    <Paper withBorder p="lg" maw={640} mx="auto" mt="lg">
      <Stack>
        <Title order={2}>{t('desk.open.title')}</Title>
        {free.length === 0 ? (
          <Text>{t('desk.open.noneFree')}</Text>
        ) : (
          <Radio.Group label={t('desk.open.counter')} value={counterId ?? null} onChange={choose}>
            <Stack gap="xs" mt="xs">
              {free.map((c) => (
                <Radio key={c.id} value={c.id} label={c.location ? `${c.name} — ${c.location}` : c.name} />
              ))}
            </Stack>
          </Radio.Group>
        )}
        {chosen && (
          <Checkbox.Group label={t('desk.open.queues')} description={t('desk.open.queuesHint')} value={queueIds} onChange={setQueueIds}>
            <Stack gap="xs" mt="xs">
              {chosen.queueIds.map((id) => (
                <Checkbox key={id} value={id} label={queueName(id)} />
              ))}
            </Stack>
          </Checkbox.Group>
        )}
        <ProblemAlert error={session.open.error} />
        <Button
          size="md"
          disabled={!chosen || queueIds.length === 0}
          loading={session.open.isPending}
          onClick={() => chosen && session.open.mutate({ counterId: chosen.id, queueIds })}
        >
          {t('desk.open.submit')}
        </Button>
      </Stack>
    </Paper>
  );
}
