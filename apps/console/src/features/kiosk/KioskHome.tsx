import { Box, Button, Group, SimpleGrid, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import type { QueueStats } from '@guichet/live/events';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import type { Queue, VisitorNeed } from '../../api/types';
import { minutes } from '../../shared/format';
import { LanguageSwitch } from '../../shared/LanguageSwitch';
import { NeedBadges } from '../../shared/NeedBadges';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { NeedsPicker } from './NeedsPicker';

interface Props {
  queues: Queue[];
  stats: (QueueStats & { id: string })[];
  needs: VisitorNeed[];
  onNeedsChange(needs: VisitorNeed[]): void;
  onChoose(queueId: string): void;
  issuing: boolean;
  error: unknown;
  onRetry(): void;
}

/** Two taps to a ticket: (optionally) say a specific need, then touch the service. */
export function KioskHome({ queues, stats, needs, onNeedsChange, onChoose, issuing, error, onRetry }: Props) {
  const { t } = useTranslation();
  const [pickingNeeds, setPickingNeeds] = useState(false);

  if (pickingNeeds) {
    return <NeedsPicker needs={needs} onChange={onNeedsChange} onDone={() => setPickingNeeds(false)} />;
  }

  return (
    <Box component="main" className="kiosk" p="xl">
      <Group justify="space-between" mb="xl">
        <Title order={1} fz={48}>
          {t('kiosk.title')}
        </Title>
        <LanguageSwitch size="xl" />
      </Group>
      <Text fz={28} mb="lg">
        {t('kiosk.choose')}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
        {queues.map((q) => {
          const s = stats.find((x) => x.id === q.id);
          return (
            <UnstyledButton key={q.id} className="kiosk-tile" onClick={() => onChoose(q.id)} disabled={issuing} data-testid={`kiosk-queue-${q.prefix}`}>
              <Text fz={36} fw={800} lh={1.1}>
                {q.name}
              </Text>
              {s && (
                <Text fz={22} mt="sm">
                  {t('kiosk.load', { count: s.waiting, minutes: minutes(s.estimatedWaitSeconds) })}
                </Text>
              )}
            </UnstyledButton>
          );
        })}
      </SimpleGrid>
      <Stack mt="xl" gap="md" align="flex-start">
        <Button size="xl" h={80} fz={26} variant={needs.length ? 'filled' : 'outline'} onClick={() => setPickingNeeds(true)}>
          {t('kiosk.specificNeed')}
        </Button>
        <NeedBadges needs={needs} size="lg" />
        {issuing && (
          <Text fz={28} role="status">
            {t('kiosk.issuing')}
          </Text>
        )}
        {!!error && (
          <Stack>
            <ProblemAlert error={error} />
            {/* Only a lost request is worth retrying (with the same key: never two tickets); a refusal is not. */}
            {error instanceof ApiError && (error.status === 0 || error.status >= 500) && (
              <Button size="xl" onClick={onRetry}>
                {t('kiosk.retry')}
              </Button>
            )}
          </Stack>
        )}
      </Stack>
    </Box>
  );
}
