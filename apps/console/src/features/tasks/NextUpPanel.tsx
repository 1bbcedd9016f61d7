import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSite } from '../../app/useSite';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { shortDateTime } from './localTime';
import { useNextUp } from './useTasks';

const TIER_COLOR: Record<string, string> = { overdue: 'red.9', due_soon: 'orange.9', urgent_important: 'grape.9', urgent: 'blue.9', important: 'teal.9', other: 'gray.7' };

/** "What do I do next" on the desk: waiting visitors, callbacks, e-mails and tasks in one order. */
export function NextUpPanel() {
  const { t, i18n } = useTranslation();
  const { siteId, sites } = useSite();
  const zone = sites.find((s) => s.id === siteId)?.timeZone ?? 'Europe/Paris';
  const nextUp = useNextUp();
  const items = (nextUp.data?.items ?? []).slice(0, 8);

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="next-up-title">
      <Title order={2} size="h4" id="next-up-title" mb="xs">
        {t('handoverTasks.nextUp.title')}
      </Title>
      {nextUp.error && <ProblemAlert error={nextUp.error} />}
      {items.length === 0 && !nextUp.isPending && <Text size="sm">{t('handoverTasks.nextUp.empty')}</Text>}
      <Stack gap={6} component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {items.map((item) => (
          <li key={`${item.kind}:${item.id}`}>
            <Group gap="xs" wrap="nowrap" align="flex-start">
              <Badge color={TIER_COLOR[item.tier]} variant="filled" style={{ flexShrink: 0 }}>
                {t(`handoverTasks.nextUp.tier.${item.tier}`)}
              </Badge>
              <div>
                <Text size="sm" fw={600}>
                  {t(`handoverTasks.nextUp.kind.${item.kind}`)} · {item.title || t('handoverTasks.nextUp.confidential')}
                </Text>
                {item.dueAt && (
                  <Text size="xs">
                    {t('handoverTasks.nextUp.due', { when: shortDateTime(item.dueAt, zone, i18n.language) })}
                  </Text>
                )}
              </div>
            </Group>
          </li>
        ))}
      </Stack>
    </Paper>
  );
}
