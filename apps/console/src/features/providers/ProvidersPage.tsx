import { Alert, Badge, Button, Grid, Group, NativeSelect, Paper, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSite } from '../../app/useSite';
import { hasRole, useAuth } from '../auth/useAuth';
import { useLiveSite } from '../../live/useLiveSite';
import './providers.css';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { NewProviderForm } from './NewProviderForm';
import { ProviderContacts } from './ProviderContacts';
import { IMPROVEMENT_STATUSES, type ImprovementAction, type ImprovementStatus, type PeriodFigures, type Provider } from './types';
import { PROVIDERS_KEY, useImprovementActions, useProposeImprovement, useProviderFigures, useProviders, useSetImprovementStatus } from './useProviders';

const USER_LIVE = { kind: 'user' } as const;

/** Providers of the site (C2.2): service level, contacts, quality figures and improvement actions. */
export function ProvidersPage() {
  const { t } = useTranslation();
  const { siteId } = useSite();
  const queryClient = useQueryClient();
  const providers = useProviders(siteId);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const { user } = useAuth();
  const onLive = useCallback(
    (name: string) => {
      if (name === 'provider.changed' || name === 'service_order.rated' || name === 'service_order.status_changed') {
        void queryClient.invalidateQueries({ queryKey: [PROVIDERS_KEY] });
      }
    },
    [queryClient],
  );
  const live = useLiveSite(siteId, USER_LIVE, onLive);
  const selected = providers.data?.find((p) => p.id === selectedId) ?? null;

  if (!siteId) return <Alert color="yellow">{t('desk.noSite')}</Alert>;

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('provisions.providers.title')}
        </Title>
        <Group>
          <Badge color={live.connected ? 'teal.9' : 'red.9'}>{live.connected ? t('live.online') : t('live.offline')}</Badge>
          {hasRole(user, 'supervisor') && (
            <Button onClick={() => setCreating((v) => !v)} aria-expanded={creating}>
              {t('provisions.providers.new')}
            </Button>
          )}
        </Group>
      </Group>
      {creating && (
        <NewProviderForm
          siteId={siteId}
          onCreated={(id) => {
            setCreating(false);
            setSelectedId(id);
          }}
        />
      )}
      {providers.error && <ProblemAlert error={providers.error} />}
      <Grid gap="sm">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Paper withBorder p="sm" component="section" aria-labelledby="providers-list">
            <Title order={2} size="h4" id="providers-list" mb="xs">
              {t('provisions.providers.list')}
            </Title>
            {providers.data?.length === 0 && <Text size="sm">{t('provisions.providers.none')}</Text>}
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('provisions.providers.name')}</Table.Th>
                  <Table.Th>{t('provisions.providers.kind')}</Table.Th>
                  <Table.Th>{t('provisions.providers.sla')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(providers.data ?? []).map((p) => (
                  <Table.Tr key={p.id} aria-selected={p.id === selectedId}>
                    <Table.Td>
                      <Button variant={p.id === selectedId ? 'light' : 'subtle'} size="compact-sm" onClick={() => setSelectedId(p.id)}>
                        {p.name}
                      </Button>
                      {!p.active && <Text size="xs">{t('provisions.providers.inactive')}</Text>}
                    </Table.Td>
                    <Table.Td>{t(`provisions.kind.${p.kind}`)}</Table.Td>
                    <Table.Td>{t('provisions.providers.slaShort', { response: p.responseHours, completion: p.completionHours })}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>{selected ? <ProviderDetail provider={selected} canEdit={hasRole(user, 'supervisor')} /> : <Text size="sm">{t('provisions.providers.pick')}</Text>}</Grid.Col>
      </Grid>
    </Stack>
  );
}

function ProviderDetail({ provider, canEdit }: { provider: Provider; canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const figures = useProviderFigures(provider.id);
  const percent = new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 0 });
  const number = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 2 });
  const show = (value: number | null, format: (v: number) => string) => (value === null ? '—' : format(value));

  return (
    <Stack gap="sm">
      <Paper withBorder p="sm" component="section" aria-labelledby="provider-detail">
        <Title order={2} size="h4" id="provider-detail">
          {provider.name}
        </Title>
        <Text size="sm">{provider.description}</Text>
        <dl className="provisions-facts">
          <dt>{t('provisions.providers.kind')}</dt>
          <dd>{t(`provisions.kind.${provider.kind}`)}</dd>
          <dt>{t('provisions.providers.provides')}</dt>
          <dd>{provider.orderTypes.map((type) => t(`provisions.type.${type}`)).join(', ') || '—'}</dd>
          <dt>{t('provisions.providers.responseTime')}</dt>
          <dd>{t('provisions.hours', { count: provider.responseHours })}</dd>
          <dt>{t('provisions.providers.completionTime')}</dt>
          <dd>{t('provisions.hours', { count: provider.completionHours })}</dd>
          <dt>{t('provisions.providers.contract')}</dt>
          <dd>
            {provider.contractReference ?? '—'}
            {provider.contractEndsOn && ` (${t('provisions.providers.contractEnds', { date: provider.contractEndsOn })})`}
          </dd>
        </dl>
        <ProviderContacts key={provider.id} provider={provider} canEdit={canEdit} />
      </Paper>

      <Paper withBorder p="sm" component="section" aria-labelledby="provider-figures">
        <Title order={2} size="h4" id="provider-figures">
          {t('provisions.figures.title')}
        </Title>
        {figures.error && <ProblemAlert error={figures.error} />}
        {figures.data && (
          <>
            <Group gap="xl" my="xs">
              <Figure label={t('provisions.figures.onTimeRate')} value={show(figures.data.onTimeRate, (v) => percent.format(v))} />
              <Figure label={t('provisions.figures.averageDelay')} value={show(figures.data.averageDelayHours, (v) => t('provisions.hours', { count: Number(number.format(v)) }))} />
              <Figure label={t('provisions.figures.averageRating')} value={show(figures.data.ratings.average, (v) => `${number.format(v)} / 5`)} />
              <Figure label={t('provisions.figures.orders')} value={String(figures.data.orders.total)} />
            </Group>
            <Table>
              <caption>{t('provisions.figures.trend')}</caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('provisions.figures.month')}</Table.Th>
                  <Table.Th>{t('provisions.figures.completed')}</Table.Th>
                  <Table.Th>{t('provisions.figures.onTimeRate')}</Table.Th>
                  <Table.Th>{t('provisions.figures.averageDelay')}</Table.Th>
                  <Table.Th>{t('provisions.figures.averageRating')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {figures.data.months.map((m: PeriodFigures & { month: string }) => (
                  <Table.Tr key={m.month}>
                    <Table.Td>{m.month}</Table.Td>
                    <Table.Td>{m.completed}</Table.Td>
                    <Table.Td>{show(m.onTimeRate, (v) => percent.format(v))}</Table.Td>
                    <Table.Td>{show(m.averageDelayHours, (v) => number.format(v))}</Table.Td>
                    <Table.Td>{show(m.ratings.average, (v) => number.format(v))}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </>
        )}
      </Paper>
      <ImprovementActions providerId={provider.id} />
    </Stack>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs">{label}</Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
    </div>
  );
}

function ImprovementActions({ providerId }: { providerId: string }) {
  const { t } = useTranslation();
  const actions = useImprovementActions(providerId);
  const propose = useProposeImprovement(providerId);
  const setStatus = useSetImprovementStatus(providerId);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [dueOn, setDueOn] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    propose.mutate(
      { title, description, dueOn: dueOn || null },
      {
        onSuccess: () => {
          setTitle('');
          setDescription('');
          setDueOn('');
        },
      },
    );
  };

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="provider-actions">
      <Title order={2} size="h4" id="provider-actions">
        {t('provisions.actions.title')}
      </Title>
      {actions.data?.length === 0 && <Text size="sm">{t('provisions.actions.none')}</Text>}
      <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0 }}>
        {(actions.data ?? []).map((action: ImprovementAction) => (
          <Group component="li" key={action.id} justify="space-between" wrap="nowrap">
            <div>
              <Text size="sm" fw={600}>
                {action.title}
              </Text>
              <Text size="xs">
                {action.description}
                {action.dueOn && ` · ${t('provisions.actions.dueOn', { date: action.dueOn })}`}
              </Text>
            </div>
            <NativeSelect
              aria-label={t('provisions.actions.statusOf', { title: action.title })}
              value={action.status}
              onChange={(e) => setStatus.mutate({ action, status: e.currentTarget.value as ImprovementStatus })}
              data={IMPROVEMENT_STATUSES.map((s) => ({ value: s, label: t(`provisions.actions.status.${s}`) }))}
            />
          </Group>
        ))}
      </Stack>
      {setStatus.error && <ProblemAlert error={setStatus.error} />}
      <form onSubmit={submit}>
        <Stack gap="xs">
          <Title order={3} size="h5">
            {t('provisions.actions.propose')}
          </Title>
          <TextInput label={t('provisions.actions.what')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required />
          <Textarea label={t('provisions.actions.why')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={2} />
          <TextInput type="date" label={t('provisions.actions.due')} value={dueOn} onChange={(e) => setDueOn(e.currentTarget.value)} />
          {propose.error && <ProblemAlert error={propose.error} />}
          <Group>
            <Button type="submit" loading={propose.isPending}>
              {t('provisions.actions.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
