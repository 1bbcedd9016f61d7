import { Group, Paper, Select, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { FlowSnapshot } from '../../live/flow';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { siteToday, useHourlyFigures } from './useSupervisorData';

const ALL = 'all';
const STAFFING_HOURS_AHEAD = 6;
const DAY_START = 8;
const DAY_END = 18;

/** Arrivals per hour today against the forecast, and the counters needed in the coming hours. */
export function HourlyPanel({ siteId, timeZone, queues }: { siteId: string; timeZone: string | undefined; queues: FlowSnapshot['queues'] }) {
  const { t } = useTranslation();
  const [scope, setScope] = useState<string>(ALL);
  const queueIds = scope === ALL ? queues.map((q) => q.id) : [scope];
  const date = timeZone ? siteToday(timeZone) : undefined;
  const { hours, error } = useHourlyFigures(siteId, queueIds, date);
  const currentHour = timeZone ? Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hour12: false }).format(new Date())) : 0;
  // The usual opening day, widened to any hour that has arrivals or a forecast.
  const busy = hours.filter((h) => h.forecast > 0 || h.arrivals > 0);
  const first = Math.min(DAY_START, ...busy.map((h) => h.hour));
  const last = Math.max(DAY_END, ...busy.map((h) => h.hour));
  const chart = hours.slice(first, last + 1).map((h) => ({
    hour: `${h.hour}h`,
    [t('supervisor.arrivals')]: h.arrivals,
    [t('supervisor.forecast')]: Math.round(h.forecast * 10) / 10,
  }));
  const ahead = hours.slice(currentHour, currentHour + STAFFING_HOURS_AHEAD);

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="hourly-title">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="hourly-title">
          {t('supervisor.today')}
        </Title>
        <Select
          aria-label={t('supervisor.scope')}
          value={scope}
          onChange={(v) => setScope(v ?? ALL)}
          allowDeselect={false}
          data={[{ value: ALL, label: t('supervisor.allQueues') }, ...queues.map((q) => ({ value: q.id, label: q.name }))]}
        />
      </Group>
      <ProblemAlert error={error} />
      <Group align="flex-start" grow wrap="wrap">
        <div style={{ minWidth: 320, height: 240 }} role="img" aria-label={t('supervisor.chartLabel')}>
          <ResponsiveContainer width="100%" height="100%">
            <ComposedChart data={chart}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="hour" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Legend />
              <Bar dataKey={t('supervisor.arrivals')} fill="#1864ab" />
              <Line dataKey={t('supervisor.forecast')} stroke="#d9480f" strokeWidth={2} dot={false} type="monotone" />
            </ComposedChart>
          </ResponsiveContainer>
        </div>
        <div style={{ maxWidth: 360 }}>
          <Text fw={600} size="sm" mb={4}>
            {t('supervisor.staffing')}
          </Text>
          <Table striped fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('supervisor.hour')}</Table.Th>
                <Table.Th ta="right">{t('supervisor.expected')}</Table.Th>
                <Table.Th ta="right">{t('supervisor.recommended')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {ahead.map((h) => (
                <Table.Tr key={h.hour}>
                  <Table.Td>{t('supervisor.hourRange', { from: h.hour, to: h.hour + 1 })}</Table.Td>
                  <Table.Td ta="right">{Math.round(h.forecast)}</Table.Td>
                  <Table.Td ta="right" fw={700}>
                    {h.recommendedCounters}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      </Group>
    </Paper>
  );
}
