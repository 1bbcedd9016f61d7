import { Text, Timeline } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RequestRecord } from '../../../api/types';
import { time } from '../../../shared/format';
import { ProblemAlert } from '../../../shared/ProblemAlert';
import { RequestEmails } from './RequestEmails';
import { useTimeline } from './useRequests';

/** The request's e-mails, then everything that happened to it (statuses, transfers, linked articles, e-mails, calls). */
export function RequestTimeline({ request }: { request: RequestRecord | null }) {
  const { t, i18n } = useTranslation();
  const timeline = useTimeline(request?.id);
  if (!request) return <Text size="sm">{t('timeline.empty')}</Text>;
  return (
    <>
      <RequestEmails request={request} />
      <ProblemAlert error={timeline.error} />
      <Timeline bulletSize={14} lineWidth={2} mt="md">
        {(timeline.data?.items ?? []).map((entry) => (
          <Timeline.Item key={entry.id} title={t(`timeline.types.${entry.type}`, { defaultValue: entry.type })}>
            <Text size="xs" c="dimmed">
              {time(entry.at, i18n.language)} · {entry.actor.label}
            </Text>
            {typeof entry.data.subject === 'string' && <Text size="sm">{entry.data.subject}</Text>}
          </Timeline.Item>
        ))}
      </Timeline>
    </>
  );
}
