import { Badge, Button, Card, Group, ScrollArea, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RequestRecord, Suggestion } from '../../../api/types';
import { time } from '../../../shared/format';
import { ProblemAlert } from '../../../shared/ProblemAlert';
import { RequestTransferDialog } from './RequestTransferDialog';
import { useSuggestions } from './useRequests';

interface Props {
  siteId: string;
  request: RequestRecord | null;
  subject: string;
  onTransferred(request: RequestRecord): void;
}

/** Where to send the person: services, staff and partners matching the request, open now or not. */
export function OrientationPanel({ siteId, request, subject, onTransferred }: Props) {
  const { t, i18n } = useTranslation();
  const [typed, setTyped] = useState('');
  const [debounced] = useDebouncedValue(typed, 300);
  // The agent's own words search the directory; otherwise suggest from the saved request.
  const suggestions = useSuggestions(siteId, debounced.trim() ? undefined : request?.id, debounced.trim() || subject);
  const [target, setTarget] = useState<Suggestion | null>(null);

  return (
    <Stack gap="xs">
      <TextInput type="search" label={t('orientation.search')} value={typed} onChange={(e) => setTyped(e.currentTarget.value)} />
      <ProblemAlert error={suggestions.error} />
      <ScrollArea.Autosize mah={420}>
        <Stack gap="xs">
          {(suggestions.data ?? []).map((s) => (
            <Card key={`${s.type}:${s.id}`} withBorder padding="xs">
              <Group justify="space-between" wrap="nowrap">
                <div>
                  <Text fw={600} size="sm">
                    {s.name}
                  </Text>
                  <Group gap={4}>
                    <Badge size="xs" variant="default">
                      {t(`targetType.${s.type}`)}
                    </Badge>
                    {s.openNow === true && <Badge size="xs" color="teal.9">{t('orientation.openNow')}</Badge>}
                    {s.openNow === false && (
                      <Badge size="xs" color="red.9">
                        {s.nextOpeningAt ? t('orientation.closedUntil', { time: time(s.nextOpeningAt, i18n.language) }) : t('orientation.closed')}
                      </Badge>
                    )}
                    {s.phone && <Text size="xs">{s.phone}</Text>}
                  </Group>
                </div>
                <Button size="xs" variant="light" disabled={!request} onClick={() => setTarget(s)} aria-label={t('orientation.orientTo', { name: s.name })}>
                  {t('orientation.orient')}
                </Button>
              </Group>
            </Card>
          ))}
        </Stack>
      </ScrollArea.Autosize>
      {!request && <Text size="xs" c="dimmed">{t('orientation.saveFirst')}</Text>}
      {request && target && (
        <RequestTransferDialog
          request={request}
          target={target}
          onClose={() => setTarget(null)}
          onDone={(updated) => {
            setTarget(null);
            onTransferred(updated);
          }}
        />
      )}
    </Stack>
  );
}
