import { Alert, Badge, Button, Card, Grid, Group, List, NativeSelect, Paper, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { useSite } from '../../app/useSite';
import { PageLoader } from '../../shared/PageLoader';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { DissatisfiedAnswers } from './DissatisfiedAnswers';
import { downloadCsv } from './download';
import type { DissatisfactionReasons, FigureGroup, FigureRow, SurveyFigures } from './types';

const GROUPS: FigureGroup[] = ['service', 'agent', 'channel', 'week'];
const REFRESH_MS = 60_000;

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** CSAT, NPS and response rate by service, agent, channel or week, and what to fix first. */
export function SatisfactionPage() {
  const { t } = useTranslation();
  const { siteId } = useSite();
  const [from, setFrom] = useState(() => isoDay(new Date(Date.now() - 90 * 86_400_000)));
  const [to, setTo] = useState(() => isoDay(new Date(Date.now() + 86_400_000)));
  const [groupBy, setGroupBy] = useState<FigureGroup>('service');
  const period = { siteId, from: from || undefined, to: to || undefined };

  const figures = useQuery({
    queryKey: ['survey-figures', siteId, from, to, groupBy],
    queryFn: () => api<SurveyFigures>('/surveys/figures', { query: { ...period, groupBy } }),
    enabled: !!siteId,
    refetchInterval: REFRESH_MS,
  });
  const reasons = useQuery({
    queryKey: ['survey-reasons', siteId, from, to],
    queryFn: () => api<DissatisfactionReasons>('/surveys/reasons', { query: period }),
    enabled: !!siteId,
    refetchInterval: REFRESH_MS,
  });
  const download = useMutation({
    mutationFn: (kind: 'figures' | 'reasons') =>
      kind === 'figures'
        ? downloadCsv('/surveys/figures.csv', { ...period, groupBy }, `satisfaction-${groupBy}-${from}.csv`)
        : downloadCsv('/surveys/reasons.csv', period, `dissatisfaction-${from}.csv`),
  });

  if (!siteId) return <Alert color="yellow">{t('desk.noSite')}</Alert>;
  const pct = (value: number | null) => (value === null ? t('surveys.figures.noValue') : t('surveys.figures.percent', { value }));
  const nps = (value: number | null) => (value === null ? t('surveys.figures.noValue') : String(value));
  const groupLabel = (row: FigureRow) => {
    if (row.key === null) return t('surveys.unknown');
    if (groupBy === 'channel') return t(`surveys.channels.${row.key}`, { defaultValue: row.key });
    return row.label ?? row.key;
  };
  const total = figures.data?.total;

  return (
    <Stack gap="md">
      <Title order={2}>{t('surveys.figures.title')}</Title>
      <Paper withBorder p="sm" component="section" aria-labelledby="survey-filters">
        <Title order={3} size="h5" id="survey-filters" mb="xs">
          {t('surveys.figures.filters')}
        </Title>
        <Group align="end" wrap="wrap">
          <TextInput type="date" label={t('surveys.figures.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
          <TextInput type="date" label={t('surveys.figures.to')} value={to} onChange={(e) => setTo(e.currentTarget.value)} />
          <NativeSelect
            label={t('surveys.figures.group')}
            value={groupBy}
            onChange={(e) => setGroupBy(e.currentTarget.value as FigureGroup)}
            data={GROUPS.map((g) => ({ value: g, label: t(`surveys.groupBy.${g}`) }))}
          />
          <Button variant="default" onClick={() => download.mutate('figures')} loading={download.isPending && download.variables === 'figures'}>
            {t('surveys.figures.downloadFigures')}
          </Button>
          <Button variant="default" onClick={() => download.mutate('reasons')} loading={download.isPending && download.variables === 'reasons'}>
            {t('surveys.figures.downloadReasons')}
          </Button>
        </Group>
        <ProblemAlert error={download.error} />
      </Paper>
      <ProblemAlert error={figures.error ?? reasons.error} />
      {figures.isPending && <PageLoader />}
      {total && (
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          {[
            { title: t('surveys.figures.csat'), help: t('surveys.figures.csatHelp'), value: pct(total.csat), count: t('surveys.figures.answersCount', { count: total.csatAnswers }) },
            { title: t('surveys.figures.nps'), help: t('surveys.figures.npsHelp'), value: nps(total.nps), count: t('surveys.figures.answersCount', { count: total.npsAnswers }) },
            { title: t('surveys.figures.responseRate'), help: t('surveys.figures.responseRateHelp'), value: pct(total.responseRate), count: t('surveys.figures.sentCount', { count: total.sent }) },
          ].map((card) => (
            <Card key={card.title} withBorder component="section" aria-label={card.title}>
              <Text fw={700}>{card.title}</Text>
              <Text fz={36} fw={800} lh={1.2}>
                {card.value}
              </Text>
              <Text size="sm" c="dimmed">
                {card.help} · {card.count}
              </Text>
            </Card>
          ))}
        </SimpleGrid>
      )}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Paper withBorder p="sm" component="section" aria-labelledby="survey-table">
            <Title order={3} size="h4" id="survey-table" mb="xs">
              {t('surveys.figures.table')}
            </Title>
            {figures.data && figures.data.groups.length === 0 && <Text>{t('surveys.figures.empty')}</Text>}
            {figures.data && figures.data.groups.length > 0 && (
              <Table.ScrollContainer minWidth={640}>
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{t(`surveys.groupBy.${groupBy}`)}</Table.Th>
                      <Table.Th scope="col">{t('surveys.figures.columns.responses')}</Table.Th>
                      <Table.Th scope="col">{t('surveys.figures.columns.csat')}</Table.Th>
                      <Table.Th scope="col">{t('surveys.figures.columns.nps')}</Table.Th>
                      <Table.Th scope="col">{t('surveys.figures.columns.promoters')}</Table.Th>
                      <Table.Th scope="col">{t('surveys.figures.columns.detractors')}</Table.Th>
                      <Table.Th scope="col">{t('surveys.figures.columns.sent')}</Table.Th>
                      <Table.Th scope="col">{t('surveys.figures.columns.responseRate')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {[...figures.data.groups, figures.data.total].map((row, index) => {
                      const isTotal = index === figures.data.groups.length;
                      return (
                        <Table.Tr key={isTotal ? 'total' : (row.key ?? 'none')} fw={isTotal ? 700 : undefined}>
                          <Table.Th scope="row">{isTotal ? t('surveys.figures.total') : groupLabel(row)}</Table.Th>
                          <Table.Td>{row.responses}</Table.Td>
                          <Table.Td>{pct(row.csat)}</Table.Td>
                          <Table.Td>{nps(row.nps)}</Table.Td>
                          <Table.Td>{row.promoters}</Table.Td>
                          <Table.Td>{row.detractors}</Table.Td>
                          <Table.Td>{row.sent}</Table.Td>
                          <Table.Td>{pct(row.responseRate)}</Table.Td>
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Paper withBorder p="sm" component="section" aria-labelledby="survey-reasons">
            <Title order={3} size="h4" id="survey-reasons">
              {t('surveys.figures.reasons')}
            </Title>
            {reasons.data && (
              <Stack gap="sm" mt="xs">
                <Text size="sm">{t('surveys.figures.reasonsHelp', { count: reasons.data.dissatisfied })}</Text>
                {reasons.data.tags.length === 0 && reasons.data.themes.length === 0 && <Text>{t('surveys.figures.noReasons')}</Text>}
                {reasons.data.tags.length > 0 && (
                  <div>
                    <Title order={4} size="h5">
                      {t('surveys.figures.tags')}
                    </Title>
                    <List type="ordered">
                      {reasons.data.tags.map((r) => (
                        <List.Item key={r.tag}>
                          {t(`surveys.themes.${r.tag}`, { defaultValue: r.tag })} <Badge variant="light">{r.count}</Badge>
                        </List.Item>
                      ))}
                    </List>
                  </div>
                )}
                {reasons.data.themes.length > 0 && (
                  <div>
                    <Title order={4} size="h5">
                      {t('surveys.figures.themes')}
                    </Title>
                    <List type="ordered">
                      {reasons.data.themes.map((r) => (
                        <List.Item key={r.theme}>
                          {t(`surveys.themes.${r.theme}`, { defaultValue: r.theme })} <Badge variant="light">{r.count}</Badge>
                        </List.Item>
                      ))}
                    </List>
                  </div>
                )}
              </Stack>
            )}
          </Paper>
        </Grid.Col>
      </Grid>
      <DissatisfiedAnswers siteId={siteId} from={from || undefined} to={to || undefined} />
    </Stack>
  );
}
