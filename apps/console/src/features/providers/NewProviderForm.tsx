import { Button, Checkbox, Group, NativeSelect, NumberInput, Paper, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { ORDER_TYPES, type OrderType, type Provider } from './types';
import { PROVIDERS_KEY } from './useProviders';

/** A new provider with its service level and main contact (supervisors). */
export function NewProviderForm({ siteId, onCreated }: { siteId: string; onCreated(id: string): void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<'internal' | 'external'>('external');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [types, setTypes] = useState<OrderType[]>([]);
  const [responseHours, setResponseHours] = useState<number | string>(24);
  const [completionHours, setCompletionHours] = useState<number | string>(72);
  const [contractReference, setContractReference] = useState('');
  const [contactName, setContactName] = useState('');
  const [contactEmail, setContactEmail] = useState('');
  const create = useMutation({
    mutationFn: () =>
      api<Provider>('/providers', {
        method: 'POST',
        body: {
          siteId,
          kind,
          name,
          description,
          orderTypes: types,
          responseHours: Number(responseHours),
          completionHours: Number(completionHours),
          contractReference: contractReference || null,
          contacts: contactName ? [{ name: contactName, email: contactEmail || null, isPrimary: true }] : [],
        },
      }),
    onSuccess: (provider) => {
      void queryClient.invalidateQueries({ queryKey: [PROVIDERS_KEY] });
      onCreated(provider.id);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="new-provider">
      <form onSubmit={submit}>
        <Stack gap="xs">
          <Title order={2} size="h4" id="new-provider">
            {t('provisions.providers.new')}
          </Title>
          <Group grow align="start">
            <TextInput label={t('provisions.providers.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <NativeSelect
              label={t('provisions.providers.kind')}
              value={kind}
              onChange={(e) => setKind(e.currentTarget.value as 'internal' | 'external')}
              data={[
                { value: 'external', label: t('provisions.kind.external') },
                { value: 'internal', label: t('provisions.kind.internal') },
              ]}
            />
          </Group>
          <Textarea label={t('provisions.providers.description')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} autosize minRows={2} />
          <Checkbox.Group label={t('provisions.providers.provides')} value={types} onChange={(v) => setTypes(v as OrderType[])}>
            <Group gap="sm" mt={4}>
              {ORDER_TYPES.map((type) => (
                <Checkbox key={type} value={type} label={t(`provisions.type.${type}`)} />
              ))}
            </Group>
          </Checkbox.Group>
          <Group grow align="start">
            <NumberInput label={t('provisions.providers.responseHoursLabel')} min={0.001} decimalScale={3} required value={responseHours} onChange={setResponseHours} />
            <NumberInput label={t('provisions.providers.completionHoursLabel')} min={0.001} decimalScale={3} required value={completionHours} onChange={setCompletionHours} />
            <TextInput label={t('provisions.providers.contract')} value={contractReference} onChange={(e) => setContractReference(e.currentTarget.value)} />
          </Group>
          <Group grow align="start">
            <TextInput label={t('provisions.providers.contactName')} value={contactName} onChange={(e) => setContactName(e.currentTarget.value)} />
            <TextInput type="email" label={t('provisions.providers.contactEmail')} value={contactEmail} onChange={(e) => setContactEmail(e.currentTarget.value)} />
          </Group>
          {create.error && <ProblemAlert error={create.error} />}
          <Group>
            <Button type="submit" loading={create.isPending}>
              {t('provisions.providers.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
