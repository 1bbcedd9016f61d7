import { Alert, Badge, Button, Checkbox, Group, NativeSelect, NumberInput, Pagination, Paper, Stack, Table, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { DateTime } from 'luxon';
import { type FormEvent, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSite } from '../../app/useSite';
import { useLiveSite } from '../../live/useLiveSite';
import { PageLoader } from '../../shared/PageLoader';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { hasRole, useAuth } from '../auth/useAuth';
import { ClockBadge } from './ClockBadge';
import { ComplaintDetailModal } from './ComplaintDetailModal';
import { CreateComplaintModal } from './CreateComplaintModal';
import { EditCategoryModal } from './EditCategoryModal';
import { CHANNELS, type ComplaintCategory, type ComplaintStatus, STATUSES } from './types';
import { COMPLAINTS_KEY, type ComplaintFilters, complaintsApi, downloadReport, useCategories, useComplaintList, useComplaintWrite } from './useComplaints';

const USER_LIVE = { kind: 'user' } as const;
const PAGE_SIZE = 25;

/** Complaints (C3.3): collect, follow the SLA clocks, answer; supervisors set categories and delays and download the monthly report. */
export function ComplaintsPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const { siteId } = useSite();
  const supervisor = hasRole(user, 'supervisor');
  const [filters, setFilters] = useState<ComplaintFilters>({ status: '', page: 1 });
  const [creating, setCreating] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const queryClient = useQueryClient();

  const onLive = useCallback(
    (name: string) => {
      if (!name.startsWith('complaint.')) return;
      void queryClient.invalidateQueries({ queryKey: [COMPLAINTS_KEY] });
      if (name === 'complaint.sla_warning') setNotice(t('complaints.live.warning'));
      if (name === 'complaint.sla_escalated') setNotice(t('complaints.live.escalated'));
    },
    [queryClient, t],
  );
  const live = useLiveSite(siteId, USER_LIVE, onLive);
  const categories = useCategories(siteId);
  const list = useComplaintList(siteId, filters);
  const categoryName = (id: string) => categories.data?.find((c) => c.id === id)?.name ?? '—';
  const set = (patch: Partial<ComplaintFilters>) => setFilters((f) => ({ ...f, ...patch, page: patch.page ?? 1 }));

  if (!siteId) return <Alert color="yellow">{t('desk.noSite')}</Alert>;

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('complaints.title')}
        </Title>
        <Group gap="xs">
          <Badge color={live.connected ? 'teal.9' : 'red.9'}>{live.connected ? t('live.online') : t('live.offline')}</Badge>
          <Button onClick={() => setCreating(true)}>{t('complaints.create.open')}</Button>
        </Group>
      </Group>
      {notice && (
        <Alert color="orange" role="status" withCloseButton closeButtonLabel={t('complaints.dismiss')} onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      )}

      <Tabs defaultValue="list" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="list">{t('complaints.tabs.list')}</Tabs.Tab>
          {supervisor && <Tabs.Tab value="categories">{t('complaints.tabs.categories')}</Tabs.Tab>}
          {supervisor && <Tabs.Tab value="report">{t('complaints.tabs.report')}</Tabs.Tab>}
        </Tabs.List>

        <Tabs.Panel value="list" pt="sm">
          <Stack gap="sm">
            <Group gap="xs" align="flex-end" component="form" role="search" aria-label={t('complaints.filters.label')}>
              <NativeSelect
                label={t('complaints.fields.status')}
                value={filters.status ?? ''}
                onChange={(e) => set({ status: e.currentTarget.value as ComplaintStatus | '' })}
                data={[{ value: '', label: t('complaints.filters.all') }, ...STATUSES.map((s) => ({ value: s, label: t(`complaints.status.${s}`) }))]}
              />
              <NativeSelect
                label={t('complaints.fields.channel')}
                value={filters.channel ?? ''}
                onChange={(e) => set({ channel: e.currentTarget.value })}
                data={[{ value: '', label: t('complaints.filters.all') }, ...CHANNELS.map((c) => ({ value: c, label: t(`complaints.channel.${c}`) }))]}
              />
              <NativeSelect
                label={t('complaints.fields.category')}
                value={filters.categoryId ?? ''}
                onChange={(e) => set({ categoryId: e.currentTarget.value })}
                data={[{ value: '', label: t('complaints.filters.all') }, ...(categories.data ?? []).map((c) => ({ value: c.id, label: c.name }))]}
              />
              <NativeSelect
                label={t('complaints.filters.escalated')}
                value={filters.escalated ?? ''}
                onChange={(e) => set({ escalated: e.currentTarget.value })}
                data={[
                  { value: '', label: t('complaints.filters.all') },
                  { value: 'true', label: t('complaints.filters.escalatedOnly') },
                  { value: 'false', label: t('complaints.filters.notEscalated') },
                ]}
              />
              <Checkbox
                label={t('complaints.filters.mine')}
                checked={filters.ownerUserId === 'me'}
                onChange={(e) => set({ ownerUserId: e.currentTarget.checked ? 'me' : undefined })}
              />
            </Group>
            {list.error && <ProblemAlert error={list.error} />}
            {list.isPending ? (
              <PageLoader />
            ) : (
              <Table striped highlightOnHover>
                <Table.Caption>{t('complaints.list.caption', { count: list.data?.total ?? 0 })}</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('complaints.fields.receivedAt')}</Table.Th>
                    <Table.Th>{t('complaints.fields.reason')}</Table.Th>
                    <Table.Th>{t('complaints.fields.category')}</Table.Th>
                    <Table.Th>{t('complaints.fields.channel')}</Table.Th>
                    <Table.Th>{t('complaints.fields.status')}</Table.Th>
                    <Table.Th>{t('complaints.fields.sla')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {(list.data?.items ?? []).map((c) => (
                    <Table.Tr key={c.id}>
                      <Table.Td>{new Date(c.receivedAt).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' })}</Table.Td>
                      <Table.Td>
                        <Button variant="subtle" size="compact-sm" onClick={() => setOpenId(c.id)}>
                          {c.reason}
                        </Button>
                      </Table.Td>
                      <Table.Td>{categoryName(c.categoryId)}</Table.Td>
                      <Table.Td>{t(`complaints.channel.${c.channel}`)}</Table.Td>
                      <Table.Td>
                        {t(`complaints.status.${c.status}`)}
                        {c.escalatedAt && (
                          <Badge ml="xs" color="red.9">
                            {t('complaints.list.escalated')}
                          </Badge>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          {c.clocks.map((clock) => (
                            <ClockBadge key={clock.kind} clock={clock} />
                          ))}
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            {(list.data?.total ?? 0) > PAGE_SIZE && (
              <Pagination
                total={Math.ceil((list.data?.total ?? 0) / PAGE_SIZE)}
                value={filters.page}
                onChange={(page) => set({ page })}
                getControlProps={(control) => ({ 'aria-label': t(`complaints.pagination.${control}`) })}
              />
            )}
          </Stack>
        </Tabs.Panel>

        {supervisor && (
          <Tabs.Panel value="categories" pt="sm">
            <CategoriesPanel siteId={siteId} categories={categories.data ?? []} />
          </Tabs.Panel>
        )}
        {supervisor && (
          <Tabs.Panel value="report" pt="sm">
            <ReportPanel siteId={siteId} />
          </Tabs.Panel>
        )}
      </Tabs>

      <CreateComplaintModal
        opened={creating}
        onClose={() => setCreating(false)}
        onCreated={(id) => {
          setCreating(false);
          setOpenId(id);
        }}
        siteId={siteId}
        categories={categories.data ?? []}
      />
      <ComplaintDetailModal complaintId={openId} categoryName={categoryName} onClose={() => setOpenId(null)} />
    </Stack>
  );
}

function CategoriesPanel({ siteId, categories }: { siteId: string; categories: ComplaintCategory[] }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [ack, setAck] = useState<number | ''>(120);
  const [answer, setAnswer] = useState<number | ''>(960);
  const [warning, setWarning] = useState<number | ''>(75);
  const [businessHours, setBusinessHours] = useState(true);
  const create = useComplaintWrite(complaintsApi.createCategory);
  const [editingId, setEditingId] = useState<string | null>(null);
  const toggle = useComplaintWrite((c: ComplaintCategory) => complaintsApi.updateCategory(c.id, c.version, { active: !c.active }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { siteId, name, acknowledgeMinutes: ack, answerMinutes: answer, warningPercent: warning === '' ? null : warning, useBusinessHours: businessHours },
      { onSuccess: () => setName('') },
    );
  };

  return (
    <Stack gap="sm">
      <Table striped>
        <Table.Caption>{t('complaints.categories.caption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('complaints.categories.name')}</Table.Th>
            <Table.Th ta="right">{t('complaints.categories.ack')}</Table.Th>
            <Table.Th ta="right">{t('complaints.categories.answer')}</Table.Th>
            <Table.Th>{t('complaints.categories.warning')}</Table.Th>
            <Table.Th>{t('complaints.categories.calendar')}</Table.Th>
            <Table.Th>{t('complaints.categories.state')}</Table.Th>
            <Table.Th>{t('complaints.categories.sla')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {categories.map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>{c.name}</Table.Td>
              <Table.Td ta="right">{c.acknowledgeMinutes}</Table.Td>
              <Table.Td ta="right">{c.answerMinutes}</Table.Td>
              <Table.Td>
                {c.warningPercent !== null
                  ? t('complaints.categories.warningPercent', { value: c.warningPercent })
                  : c.warningMinutesBefore !== null
                    ? t('complaints.categories.warningMinutes', { value: c.warningMinutesBefore })
                    : t('complaints.categories.noWarning')}
              </Table.Td>
              <Table.Td>{c.useBusinessHours ? t('complaints.categories.businessHours') : t('complaints.categories.allDay')}</Table.Td>
              <Table.Td>
                <Button size="compact-sm" variant="default" onClick={() => toggle.mutate(c)} aria-label={t(c.active ? 'complaints.categories.deactivateNamed' : 'complaints.categories.activateNamed', { name: c.name })}>
                  {c.active ? t('complaints.categories.deactivate') : t('complaints.categories.activate')}
                </Button>
              </Table.Td>
              <Table.Td>
                <Button size="compact-sm" variant="default" onClick={() => setEditingId(c.id)} aria-label={t('complaints.categories.editNamed', { name: c.name })}>
                  {t('complaints.categories.edit')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {toggle.error && <ProblemAlert error={toggle.error} />}
      <EditCategoryModal category={categories.find((c) => c.id === editingId) ?? null} onClose={() => setEditingId(null)} />
      <Paper withBorder p="md" component="form" onSubmit={submit} aria-labelledby="new-category-title">
        <Title order={2} size="h4" id="new-category-title" mb="xs">
          {t('complaints.categories.new')}
        </Title>
        <Group grow align="flex-end">
          <TextInput label={t('complaints.categories.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} required />
          <NumberInput label={t('complaints.categories.ackMinutes')} value={ack} onChange={(v) => setAck(typeof v === 'number' ? v : '')} min={1} required />
          <NumberInput label={t('complaints.categories.answerMinutes')} value={answer} onChange={(v) => setAnswer(typeof v === 'number' ? v : '')} min={1} required />
          <NumberInput label={t('complaints.categories.warningAt')} value={warning} onChange={(v) => setWarning(typeof v === 'number' ? v : '')} min={1} max={99} />
        </Group>
        <Checkbox mt="sm" label={t('complaints.categories.useBusinessHours')} checked={businessHours} onChange={(e) => setBusinessHours(e.currentTarget.checked)} />
        {create.error && <ProblemAlert error={create.error} />}
        <Group justify="flex-end" mt="sm">
          <Button type="submit" loading={create.isPending}>
            {t('complaints.categories.add')}
          </Button>
        </Group>
      </Paper>
    </Stack>
  );
}

function ReportPanel({ siteId }: { siteId: string }) {
  const { t } = useTranslation();
  const [month, setMonth] = useState(() => DateTime.now().minus({ months: 1 }).toFormat('yyyy-MM'));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'csv' | 'pdf' | null>(null);
  const download = (format: 'csv' | 'pdf') => {
    setBusy(format);
    setError(null);
    downloadReport(siteId, month, format)
      .catch(setError)
      .finally(() => setBusy(null));
  };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="report-title">
      <Title order={2} size="h4" id="report-title" mb="xs">
        {t('complaints.report.title')}
      </Title>
      <Text size="sm" mb="sm">
        {t('complaints.report.help')}
      </Text>
      <Group align="flex-end">
        <TextInput type="month" label={t('complaints.report.month')} value={month} onChange={(e) => setMonth(e.currentTarget.value)} required />
        <Button onClick={() => download('csv')} loading={busy === 'csv'} disabled={!month}>
          {t('complaints.report.csv')}
        </Button>
        <Button variant="default" onClick={() => download('pdf')} loading={busy === 'pdf'} disabled={!month}>
          {t('complaints.report.pdf')}
        </Button>
      </Group>
      {error != null && <ProblemAlert error={error} />}
    </Paper>
  );
}
