import { Button, Group, NativeSelect, NumberInput, Paper, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { DateTime } from 'luxon';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { ORDER_TYPES, type OrderType } from '../providers/types';
import { useProviders } from '../providers/useProviders';
import { money } from './ServiceOrdersPage';
import { useCreateOrder } from './useServiceOrders';

interface LineDraft {
  key: number;
  item: string;
  quantity: number | string;
  /** In currency units as typed (12.5), sent as cents. */
  unitPrice: number | string;
}

const toIso = (value: string, zone: string) => (value ? (DateTime.fromISO(value, { zone }).toISO() as string) : null);
const cents = (price: number | string) => Math.round(Number(price || 0) * 100);

/** A new service order: provider, type, needs, lines with their total; saved as a draft or sent at once. */
export function NewOrderForm({ siteId, zone, onCreated }: { siteId: string; zone: string; onCreated(id: string): void }) {
  const { t, i18n } = useTranslation();
  const providers = useProviders(siteId);
  const create = useCreateOrder();
  const [providerId, setProviderId] = useState('');
  const [type, setType] = useState<OrderType>('supplies');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [neededBy, setNeededBy] = useState('');
  const [windowStart, setWindowStart] = useState('');
  const [windowEnd, setWindowEnd] = useState('');
  const [lines, setLines] = useState<LineDraft[]>([{ key: 0, item: '', quantity: 1, unitPrice: 0 }]);
  const [submitNow, setSubmitNow] = useState(true);
  const active = (providers.data ?? []).filter((p) => p.active);
  const filled = lines.filter((l) => l.item.trim());
  const total = filled.reduce((sum, l) => sum + Number(l.quantity || 0) * cents(l.unitPrice), 0);

  const setLine = (key: number, patch: Partial<LineDraft>) => setLines((list) => list.map((l) => (l.key === key ? { ...l, ...patch } : l)));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      {
        submit: submitNow,
        order: {
          siteId,
          providerId,
          type,
          title,
          description,
          neededBy: toIso(neededBy, zone),
          windowStart: toIso(windowStart, zone),
          windowEnd: toIso(windowEnd, zone),
          lines: filled.map((l) => ({ item: l.item.trim(), quantity: Number(l.quantity), unitPriceCents: cents(l.unitPrice) })),
        },
      },
      { onSuccess: (order) => onCreated((order as { id: string }).id) },
    );
  };

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="new-order">
      <form onSubmit={submit}>
        <Stack gap="xs">
          <Title order={2} size="h4" id="new-order">
            {t('provisions.orders.new')}
          </Title>
          <Group grow align="start">
            <NativeSelect
              label={t('provisions.orders.provider')}
              required
              value={providerId}
              onChange={(e) => setProviderId(e.currentTarget.value)}
              data={[{ value: '', label: t('provisions.orders.chooseProvider') }, ...active.map((p) => ({ value: p.id, label: p.name }))]}
            />
            <NativeSelect
              label={t('provisions.orders.type')}
              value={type}
              onChange={(e) => setType(e.currentTarget.value as OrderType)}
              data={ORDER_TYPES.map((s) => ({ value: s, label: t(`provisions.type.${s}`) }))}
            />
          </Group>
          <TextInput label={t('provisions.orders.subject')} required value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
          <Textarea label={t('provisions.orders.description')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={2} />
          <Group grow align="start">
            <TextInput type="datetime-local" label={t('provisions.orders.neededBy')} value={neededBy} onChange={(e) => setNeededBy(e.currentTarget.value)} />
            <TextInput type="datetime-local" label={t('provisions.orders.windowStart')} value={windowStart} onChange={(e) => setWindowStart(e.currentTarget.value)} />
            <TextInput type="datetime-local" label={t('provisions.orders.windowEnd')} value={windowEnd} onChange={(e) => setWindowEnd(e.currentTarget.value)} />
          </Group>
          <Table>
            <caption>{t('provisions.orders.lines')}</caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('provisions.orders.item')}</Table.Th>
                <Table.Th>{t('provisions.orders.quantity')}</Table.Th>
                <Table.Th>{t('provisions.orders.unitPrice')}</Table.Th>
                <Table.Th>{t('provisions.orders.lineTotal')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {lines.map((line, index) => (
                <Table.Tr key={line.key}>
                  <Table.Td>
                    <TextInput aria-label={t('provisions.orders.itemN', { n: index + 1 })} value={line.item} onChange={(e) => setLine(line.key, { item: e.currentTarget.value })} />
                  </Table.Td>
                  <Table.Td>
                    <NumberInput aria-label={t('provisions.orders.quantityN', { n: index + 1 })} min={1} allowDecimal={false} value={line.quantity} onChange={(v) => setLine(line.key, { quantity: v })} />
                  </Table.Td>
                  <Table.Td>
                    <NumberInput aria-label={t('provisions.orders.unitPriceN', { n: index + 1 })} min={0} decimalScale={2} value={line.unitPrice} onChange={(v) => setLine(line.key, { unitPrice: v })} />
                  </Table.Td>
                  <Table.Td>{money(Number(line.quantity || 0) * cents(line.unitPrice), 'EUR', i18n.language)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group justify="space-between">
            <Button variant="default" onClick={() => setLines((list) => [...list, { key: Math.max(...list.map((l) => l.key)) + 1, item: '', quantity: 1, unitPrice: 0 }])}>
              {t('provisions.orders.addLine')}
            </Button>
            <Text fw={700} aria-live="polite">
              {t('provisions.orders.totalIs', { total: money(total, 'EUR', i18n.language) })}
            </Text>
          </Group>
          {create.error && <ProblemAlert error={create.error} />}
          <Group>
            <Button type="submit" loading={create.isPending && submitNow} onClick={() => setSubmitNow(true)}>
              {t('provisions.orders.createAndSubmit')}
            </Button>
            <Button type="submit" variant="default" loading={create.isPending && !submitNow} onClick={() => setSubmitNow(false)}>
              {t('provisions.orders.saveDraft')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
