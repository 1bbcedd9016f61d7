import { Grid, Paper, Tabs } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RequestRecord, Visitor } from '../../../api/types';
import { KnowledgePanel } from './KnowledgePanel';
import { OrientationPanel } from './OrientationPanel';
import { RequestForm } from './RequestForm';
import { RequestTimeline } from './RequestTimeline';

interface Props {
  siteId: string;
  visitor: Visitor | null;
  request: RequestRecord | null;
  onRequestChange(request: RequestRecord): void;
}

/** The request being handled, with the knowledge base, orientation and history beside it. */
export function RequestWorkspace({ siteId, visitor, request, onRequestChange }: Props) {
  const { t } = useTranslation();
  const [subject, setSubject] = useState(request?.subject ?? '');
  return (
    <Grid gap="sm">
      <Grid.Col span={{ base: 12, lg: 7 }}>
        <RequestForm siteId={siteId} visitor={visitor} request={request} onSaved={onRequestChange} onSubjectChange={setSubject} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 5 }}>
        <Paper withBorder p="sm">
          <Tabs defaultValue="knowledge" keepMounted={false}>
            <Tabs.List grow>
              <Tabs.Tab value="knowledge">{t('knowledge.tab')}</Tabs.Tab>
              <Tabs.Tab value="orientation">{t('orientation.tab')}</Tabs.Tab>
              <Tabs.Tab value="history">{t('timeline.tab')}</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="knowledge" pt="sm">
              <KnowledgePanel siteId={siteId} request={request} subject={subject} />
            </Tabs.Panel>
            <Tabs.Panel value="orientation" pt="sm">
              <OrientationPanel siteId={siteId} request={request} subject={subject} onTransferred={onRequestChange} />
            </Tabs.Panel>
            <Tabs.Panel value="history" pt="sm">
              <RequestTimeline request={request} />
            </Tabs.Panel>
          </Tabs>
        </Paper>
      </Grid.Col>
    </Grid>
  );
}
