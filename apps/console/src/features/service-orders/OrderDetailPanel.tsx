import { Alert, Badge, Button, Group, NativeSelect, NumberInput, Paper, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import type { TFunction } from 'i18next';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../shared/ProblemAlert';
import '../providers/providers.css';
import { money, when } from './ServiceOrdersPage';
import type { OrderDetail, OrderStatus } from './types';
import { useApproveOrder, useAttachToOrder, useCommentOrder, useMoveOrder, useRateOrder, useServiceOrder } from './useServiceOrders';

/** One order: facts, lines, approval, next steps, status timeline, comments, attachments and rating. */
export function OrderDetailPanel({ orderId, zone }: { orderId: string; zone: string }) {
  const { t, i18n } = useTranslation();
  const order = useServiceOrder(orderId);
  const move = useMoveOrder();
  const approve = useApproveOrder();
  const [note, setNote] = useState('');
  const o = order.data;

  if (order.error) return <ProblemAlert error={order.error} />;
  if (!o) return <Text size="sm">{t('common.loading')}</Text>;
  const doMove = (status: OrderStatus) => move.mutate({ order: o, status, note }, { onSuccess: () => setNote('') });

  return (
    <Stack gap="sm">
      <Paper withBorder p="sm" component="section" aria-labelledby="order-detail">
        <Group justify="space-between" align="start">
          <Title order={2} size="h4" id="order-detail">
            {t('provisions.orders.numbered', { number: o.number, title: o.title })}
          </Title>
          <Badge variant="outline" color="dark" size="lg">
            {t(`provisions.status.${o.status}`)}
          </Badge>
        </Group>
        {o.late && (
          <Alert color="red" mt="xs" title={t('provisions.orders.late')}>
            {t('provisions.orders.lateSince', { when: when(o.remindAt, zone, i18n.language) })}
          </Alert>
        )}
        <dl className="provisions-facts">
          <dt>{t('provisions.orders.provider')}</dt>
          <dd>{o.providerName}</dd>
          <dt>{t('provisions.orders.type')}</dt>
          <dd>{t(`provisions.type.${o.type}`)}</dd>
          <dt>{t('provisions.orders.requester')}</dt>
          <dd>{o.requesterLabel}</dd>
          <dt>{t('provisions.orders.neededBy')}</dt>
          <dd>{when(o.neededBy, zone, i18n.language)}</dd>
          {o.windowStart && (
            <>
              <dt>{t('provisions.orders.window')}</dt>
              <dd>{`${when(o.windowStart, zone, i18n.language)} – ${when(o.windowEnd, zone, i18n.language)}`}</dd>
            </>
          )}
          <dt>{t('provisions.orders.responseDue')}</dt>
          <dd>{when(o.responseDueAt, zone, i18n.language)}</dd>
          <dt>{t('provisions.orders.due')}</dt>
          <dd>{when(o.dueAt, zone, i18n.language)}</dd>
        </dl>
        {o.description && <Text size="sm">{o.description}</Text>}
        {o.lines.length > 0 && (
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
              {o.lines.map((l, i) => (
                <Table.Tr key={i}>
                  <Table.Td>{l.item}</Table.Td>
                  <Table.Td>{l.quantity}</Table.Td>
                  <Table.Td>{money(l.unitPriceCents, o.currency, i18n.language)}</Table.Td>
                  <Table.Td>{money(l.totalCents, o.currency, i18n.language)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Text fw={700}>{t('provisions.orders.totalIs', { total: money(o.totalCents, o.currency, i18n.language) })}</Text>
      </Paper>

      {(o.approvalPending || o.allowedTransitions.length > 0) && (
        <Paper withBorder p="sm" component="section" aria-labelledby="order-actions">
          <Title order={2} size="h4" id="order-actions">
            {t('provisions.orders.nextSteps')}
          </Title>
          {o.approvalPending && (
            <Alert color="yellow" my="xs">
              <Text fw={700} size="sm" mb={4}>
                {t('provisions.orders.awaitingApproval')}
              </Text>
              {o.canApprove ? (
                <Button onClick={() => approve.mutate(o)} loading={approve.isPending}>
                  {t('provisions.orders.approve')}
                </Button>
              ) : (
                t('provisions.orders.approvalHint')
              )}
            </Alert>
          )}
          {approve.error && <ProblemAlert error={approve.error} />}
          {o.allowedTransitions.length > 0 && (
            <Stack gap="xs">
              <TextInput label={t('provisions.orders.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
              <Group gap="xs">
                {o.allowedTransitions.map((status) => (
                  <Button key={status} variant={status === 'cancelled' || status === 'rejected' ? 'default' : 'filled'} onClick={() => doMove(status)} loading={move.isPending && move.variables?.status === status}>
                    {t(`provisions.action.${status}`)}
                  </Button>
                ))}
              </Group>
              {move.error && <ProblemAlert error={move.error} />}
            </Stack>
          )}
        </Paper>
      )}

      <Paper withBorder p="sm" component="section" aria-labelledby="order-timeline">
        <Title order={2} size="h4" id="order-timeline">
          {t('provisions.orders.timeline')}
        </Title>
        <ol className="provisions-timeline">
          {timeline(o, t).map((step, i) => (
            <li key={i}>
              <Text size="sm" fw={600} span>
                {step.label}
              </Text>
              <Text size="sm" span>{[` — ${when(step.at, zone, i18n.language)}`, step.actor].filter(Boolean).join(' — ')}</Text>
              {step.note && <Text size="xs">{step.note}</Text>}
            </li>
          ))}
        </ol>
      </Paper>

      <Comments order={o} zone={zone} />
      <Attachments order={o} />
      {(o.rating || o.canRate) && <Rating order={o} />}
    </Stack>
  );
}

interface Step {
  label: string;
  at: string;
  actor: string | null;
  note: string | null;
}

/**
 * The status changes with the supervisor's approval slotted in at its time: approval is not a
 * status (the order stays "submitted"), yet it is when the order really left for the provider.
 */
function timeline(o: OrderDetail, t: TFunction): Step[] {
  const steps: Step[] = o.history.map((h) => ({ label: t(`provisions.status.${h.toStatus}`), at: h.at, actor: h.actorLabel, note: h.note }));
  if (!o.approvedAt) return steps;
  const approvedAt = Date.parse(o.approvedAt);
  const after = steps.findIndex((s) => Date.parse(s.at) > approvedAt);
  const approval: Step = { label: t('provisions.orders.approvedStep'), at: o.approvedAt, actor: o.approvedByLabel, note: null };
  return after === -1 ? [...steps, approval] : [...steps.slice(0, after), approval, ...steps.slice(after)];
}

function Comments({ order, zone }: { order: OrderDetail; zone: string }) {
  const { t, i18n } = useTranslation();
  const comment = useCommentOrder();
  const [body, setBody] = useState('');
  const [side, setSide] = useState<'internal' | 'provider'>('internal');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    comment.mutate({ id: order.id, body, side }, { onSuccess: () => setBody('') });
  };
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="order-comments">
      <Title order={2} size="h4" id="order-comments">
        {t('provisions.comments.title')}
      </Title>
      {order.comments.length === 0 && <Text size="sm">{t('provisions.comments.none')}</Text>}
      <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0 }}>
        {order.comments.map((c) => (
          <li key={c.id}>
            <Text size="xs">{`${t(`provisions.comments.side.${c.side}`)} · ${c.authorLabel} · ${when(c.createdAt, zone, i18n.language)}`}</Text>
            <Text size="sm">{c.body}</Text>
          </li>
        ))}
      </Stack>
      <form onSubmit={submit}>
        <Stack gap="xs" mt="xs">
          <Textarea label={t('provisions.comments.new')} required value={body} onChange={(e) => setBody(e.currentTarget.value)} autosize minRows={2} />
          <Group align="end">
            <NativeSelect
              label={t('provisions.comments.from')}
              value={side}
              onChange={(e) => setSide(e.currentTarget.value as 'internal' | 'provider')}
              data={[
                { value: 'internal', label: t('provisions.comments.side.internal') },
                { value: 'provider', label: t('provisions.comments.side.provider') },
              ]}
            />
            <Button type="submit" loading={comment.isPending}>
              {t('provisions.comments.add')}
            </Button>
          </Group>
          {comment.error && <ProblemAlert error={comment.error} />}
        </Stack>
      </form>
    </Paper>
  );
}

function Attachments({ order }: { order: OrderDetail }) {
  const { t } = useTranslation();
  const attach = useAttachToOrder();
  const [url, setUrl] = useState('');
  const [label, setLabel] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    attach.mutate(
      { id: order.id, url, label },
      {
        onSuccess: () => {
          setUrl('');
          setLabel('');
        },
      },
    );
  };
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="order-attachments">
      <Title order={2} size="h4" id="order-attachments">
        {t('provisions.attachments.title')}
      </Title>
      <ul>
        {order.attachments.map((a) => (
          <li key={a.id}>
            <a href={a.url} target="_blank" rel="noreferrer noopener">
              {a.label ?? a.url}
            </a>
          </li>
        ))}
      </ul>
      <form onSubmit={submit}>
        <Group align="end">
          <TextInput type="url" label={t('provisions.attachments.url')} required value={url} onChange={(e) => setUrl(e.currentTarget.value)} />
          <TextInput label={t('provisions.attachments.label')} value={label} onChange={(e) => setLabel(e.currentTarget.value)} />
          <Button type="submit" variant="default" loading={attach.isPending}>
            {t('provisions.attachments.add')}
          </Button>
        </Group>
        {attach.error && <ProblemAlert error={attach.error} />}
      </form>
    </Paper>
  );
}

const CRITERIA = ['timeliness', 'quality', 'communication'] as const;

function Rating({ order }: { order: OrderDetail }) {
  const { t } = useTranslation();
  const rate = useRateOrder();
  const [scores, setScores] = useState<Record<(typeof CRITERIA)[number], number | string>>({ timeliness: 5, quality: 5, communication: 5 });
  const [comment, setComment] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    rate.mutate({ id: order.id, timeliness: Number(scores.timeliness), quality: Number(scores.quality), communication: Number(scores.communication), comment });
  };
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="order-rating">
      <Title order={2} size="h4" id="order-rating">
        {t('provisions.rating.title')}
      </Title>
      {order.rating ? (
        <Text size="sm">
          {CRITERIA.map((c) => `${t(`provisions.rating.${c}`)} ${order.rating![c]}/5`).join(' · ')}
          {order.rating.comment && ` — ${order.rating.comment}`}
        </Text>
      ) : (
        <form onSubmit={submit}>
          <Stack gap="xs">
            <Text size="sm">{t('provisions.rating.hint')}</Text>
            <Group grow>
              {CRITERIA.map((c) => (
                <NumberInput key={c} label={t(`provisions.rating.${c}`)} min={1} max={5} allowDecimal={false} value={scores[c]} onChange={(v) => setScores({ ...scores, [c]: v })} />
              ))}
            </Group>
            <Textarea label={t('provisions.rating.comment')} value={comment} onChange={(e) => setComment(e.currentTarget.value)} autosize minRows={2} />
            {rate.error && <ProblemAlert error={rate.error} />}
            <Group>
              <Button type="submit" loading={rate.isPending}>
                {t('provisions.rating.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Paper>
  );
}
