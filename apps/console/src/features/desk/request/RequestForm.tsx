import { Badge, Button, Checkbox, Group, Paper, SegmentedControl, Select, SimpleGrid, Stack, Switch, TextInput, Textarea, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { REQUEST_CHANNELS, type RequestChannel, type RequestRecord, type Visitor } from '../../../api/types';
import { ProblemAlert } from '../../../shared/ProblemAlert';
import { RequestStatusActions } from './RequestStatusActions';
import { type RequestInput, useCategories, useSaveRequest } from './useRequests';

interface Props {
  siteId: string;
  visitor: Visitor | null;
  request: RequestRecord | null;
  onSaved(request: RequestRecord): void;
  /** Lets the knowledge and orientation panels search with the subject as it is typed. */
  onSubjectChange?(subject: string): void;
}

/** What the person asks for, restated and confirmed, as the agent records it. */
export function RequestForm({ siteId, visitor, request, onSaved, onSubjectChange }: Props) {
  const { t } = useTranslation();
  const categories = useCategories(siteId).data?.items ?? [];
  const save = useSaveRequest(siteId);
  const [channel, setChannel] = useState<RequestChannel>(request?.channel ?? 'desk');
  const [subject, setSubject] = useState(request?.subject ?? '');
  const [categoryId, setCategoryId] = useState<string | null>(request?.categoryId ?? null);
  const [notes, setNotes] = useState(request?.notes ?? '');
  const [reformulation, setReformulation] = useState(request?.reformulation ?? '');
  const [confirmed, setConfirmed] = useState(request?.reformulationConfirmed ?? false);
  const [complexity, setComplexity] = useState<'simple' | 'complex'>(request?.complexity ?? 'simple');
  const [confidential, setConfidential] = useState(request?.confidentiality === 'confidential');

  function submit(event: FormEvent) {
    event.preventDefault();
    const input: RequestInput = {
      channel,
      subject: subject.trim(),
      visitorId: visitor?.id ?? request?.visitorId ?? null,
      categoryId,
      notes: notes.trim() || null,
      reformulation: reformulation.trim() || null,
      reformulationConfirmed: confirmed,
      complexity,
      confidentiality: confidential ? 'confidential' : 'normal',
    };
    save.mutate({ request, input }, { onSuccess: onSaved });
  }

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="request-title">
      <Stack component="form" onSubmit={submit} gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4" id="request-title">
            {request ? t('request.titleExisting') : t('request.titleNew')}
          </Title>
          {request && <Badge color="blue.8">{t(`requestStatus.${request.status}`)}</Badge>}
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <Select
            label={t('request.channel')}
            value={channel}
            onChange={(v) => v && setChannel(v as RequestChannel)}
            disabled={!!request}
            data={REQUEST_CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
            allowDeselect={false}
          />
          <Select
            label={t('request.category')}
            clearable
            searchable
            value={categoryId}
            onChange={setCategoryId}
            data={categories.map((c) => ({ value: c.id, label: c.path.join(' › ') }))}
          />
        </SimpleGrid>
        <TextInput
          label={t('request.subject')}
          required
          value={subject}
          onChange={(e) => {
            setSubject(e.currentTarget.value);
            onSubjectChange?.(e.currentTarget.value);
          }}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <Textarea label={t('request.notes')} autosize minRows={3} maxRows={6} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} />
          <Textarea
            label={t('request.reformulation')}
            placeholder={t('request.reformulationHint')}
            autosize
            minRows={3}
            maxRows={6}
            value={reformulation}
            onChange={(e) => setReformulation(e.currentTarget.value)}
          />
        </SimpleGrid>
        <Group justify="space-between" gap="xs">
          <Checkbox label={t('request.confirmed')} checked={confirmed} onChange={(e) => setConfirmed(e.currentTarget.checked)} disabled={!reformulation.trim()} />
          <SegmentedControl
            size="xs"
            aria-label={t('request.complexity')}
            value={complexity}
            onChange={(v) => setComplexity(v as 'simple' | 'complex')}
            data={[
              { value: 'simple', label: t('complexity.simple') },
              { value: 'complex', label: t('complexity.complex') },
            ]}
          />
          <Switch label={t('request.confidential')} checked={confidential} onChange={(e) => setConfidential(e.currentTarget.checked)} />
        </Group>
        <ProblemAlert error={save.error} />
        <Group justify="space-between">
          <Button type="submit" loading={save.isPending} disabled={!subject.trim()}>
            {request ? t('request.update') : t('request.create')}
          </Button>
          {request && <RequestStatusActions request={request} onChanged={onSaved} />}
        </Group>
      </Stack>
    </Paper>
  );
}
