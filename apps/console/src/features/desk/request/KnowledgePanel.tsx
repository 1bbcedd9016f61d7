import { Badge, Button, Card, Group, ScrollArea, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RequestRecord } from '../../../api/types';
import { ProblemAlert } from '../../../shared/ProblemAlert';
import { useArticleSearch, useLinkArticle, useLinkedArticles } from './useRequests';

/** Knowledge-base search beside the request; one click links the article used to answer. */
export function KnowledgePanel({ siteId, request, subject }: { siteId: string; request: RequestRecord | null; subject: string }) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState<string | null>(null);
  const q = typed ?? subject; // follows the subject until the agent types their own words
  const [debounced] = useDebouncedValue(q, 300);
  const results = useArticleSearch(siteId, debounced);
  const linked = useLinkedArticles(request?.id);
  const link = useLinkArticle(request?.id);
  const linkedIds = new Set((linked.data ?? []).map((a) => a.id));

  return (
    <Stack gap="xs">
      <TextInput type="search" label={t('knowledge.search')} value={q} onChange={(e) => setTyped(e.currentTarget.value)} />
      {!request && <Text size="xs" c="dimmed">{t('knowledge.saveFirst')}</Text>}
      <ProblemAlert error={results.error ?? link.error} />
      <ScrollArea.Autosize mah={420}>
        <Stack gap="xs">
          {(results.data?.items ?? []).map((article) => (
            <Card key={article.id} withBorder padding="xs">
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <div>
                  <Text fw={600} size="sm">
                    {article.title}
                  </Text>
                  <Group gap={4} mt={2}>
                    <Badge size="xs" variant="default">
                      {t(`articleKind.${article.kind}`, { defaultValue: article.kind })}
                    </Badge>
                    {article.stale && (
                      <Badge size="xs" color="yellow.5">
                        {t('knowledge.stale')}
                      </Badge>
                    )}
                  </Group>
                </div>
                {linkedIds.has(article.id) ? (
                  <Badge color="teal.9">{t('knowledge.linked')}</Badge>
                ) : (
                  <Button size="xs" disabled={!request} loading={link.isPending && link.variables === article.id} onClick={() => link.mutate(article.id)} aria-label={t('knowledge.linkArticle', { title: article.title })}>
                    {t('knowledge.link')}
                  </Button>
                )}
              </Group>
              <Text size="xs" c="dimmed" lineClamp={3} mt={4}>
                {article.body}
              </Text>
            </Card>
          ))}
          {results.data && results.data.items.length === 0 && <Text size="sm">{t('knowledge.none')}</Text>}
        </Stack>
      </ScrollArea.Autosize>
    </Stack>
  );
}
