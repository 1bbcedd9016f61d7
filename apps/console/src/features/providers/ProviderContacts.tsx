import { Button, Checkbox, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../shared/ProblemAlert';
import './providers.css';
import type { ContactInput, Provider, ProviderContact } from './types';
import { useRemoveContact, useSaveContact } from './useProviders';

const EMPTY: ContactInput = { name: '', role: null, email: null, phone: null, isPrimary: false };

/** A provider's contacts; supervisors add, edit and remove them (the primary one gets the reminders). */
export function ProviderContacts({ provider, canEdit }: { provider: Provider; canEdit: boolean }) {
  const { t } = useTranslation();
  const save = useSaveContact(provider.id);
  const remove = useRemoveContact(provider.id);
  /** The contact being edited, 'new' for the add form. */
  const [editing, setEditing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);

  const onSave = (contactId: string | null, contact: ContactInput) =>
    save.mutate({ contactId, contact }, { onSuccess: () => setEditing(null) });
  const startEditing = (id: string) => {
    save.reset();
    setConfirming(null);
    setEditing(id);
  };

  return (
    <>
      <Title order={3} size="h5">
        {t('provisions.providers.contacts')}
      </Title>
      {provider.contacts.length === 0 && <Text size="sm">{t('provisions.contacts.none')}</Text>}
      <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0 }}>
        {provider.contacts.map((c) =>
          editing === c.id ? (
            <li key={c.id}>
              <ContactForm
                title={t('provisions.contacts.editOf', { name: c.name })}
                initial={c}
                saving={save.isPending}
                onSave={(contact) => onSave(c.id, contact)}
                onCancel={() => setEditing(null)}
              />
            </li>
          ) : (
            <Group component="li" key={c.id} justify="space-between" wrap="nowrap" align="start">
              <ContactLine contact={c} />
              {canEdit && (
                <Group gap={4} wrap="nowrap">
                  {confirming === c.id ? (
                    <>
                      <Button size="compact-sm" color="red.9" loading={remove.isPending} onClick={() => remove.mutate(c.id, { onSuccess: () => setConfirming(null) })}>
                        {t('provisions.contacts.confirmRemove', { name: c.name })}
                      </Button>
                      <Button size="compact-sm" variant="default" onClick={() => setConfirming(null)}>
                        {t('common.cancel')}
                      </Button>
                    </>
                  ) : (
                    <>
                      <Button size="compact-sm" variant="default" aria-label={t('provisions.contacts.editOf', { name: c.name })} onClick={() => startEditing(c.id)}>
                        {t('provisions.contacts.edit')}
                      </Button>
                      <Button
                        size="compact-sm"
                        variant="default"
                        aria-label={t('provisions.contacts.removeOf', { name: c.name })}
                        onClick={() => {
                          remove.reset();
                          setConfirming(c.id);
                        }}
                      >
                        {t('provisions.contacts.remove')}
                      </Button>
                    </>
                  )}
                </Group>
              )}
            </Group>
          ),
        )}
      </Stack>
      {remove.error && <ProblemAlert error={remove.error} />}
      {canEdit &&
        (editing === 'new' ? (
          <ContactForm title={t('provisions.contacts.add')} initial={EMPTY} saving={save.isPending} onSave={(contact) => onSave(null, contact)} onCancel={() => setEditing(null)} />
        ) : (
          <Button variant="default" size="compact-sm" onClick={() => startEditing('new')}>
            {t('provisions.contacts.add')}
          </Button>
        ))}
      {editing !== null && save.error && <ProblemAlert error={save.error} />}
    </>
  );
}

function ContactLine({ contact: c }: { contact: ProviderContact }) {
  const { t } = useTranslation();
  return (
    <div>
      <Text size="sm" span fw={c.isPrimary ? 700 : 400}>
        {c.name}
      </Text>
      {c.isPrimary && <Text size="sm" span>{` (${t('provisions.providers.primary')})`}</Text>}
      <Text size="sm" span>{[c.role, c.email, c.phone].filter(Boolean).map((v) => ` · ${v}`).join('')}</Text>
    </div>
  );
}

function ContactForm({ title, initial, saving, onSave, onCancel }: { title: string; initial: ContactInput; saving: boolean; onSave(contact: ContactInput): void; onCancel(): void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(initial.name);
  const [role, setRole] = useState(initial.role ?? '');
  const [email, setEmail] = useState(initial.email ?? '');
  const [phone, setPhone] = useState(initial.phone ?? '');
  const [isPrimary, setIsPrimary] = useState(initial.isPrimary);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSave({ name: name.trim(), role: role.trim() || null, email: email.trim() || null, phone: phone.trim() || null, isPrimary });
  };

  return (
    <Paper withBorder p="xs" my="xs" component="form" onSubmit={submit} aria-label={title}>
      <Stack gap="xs">
        <Text size="sm" fw={700}>
          {title}
        </Text>
        <Group grow align="start">
          <TextInput label={t('provisions.contacts.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <TextInput label={t('provisions.contacts.role')} value={role} onChange={(e) => setRole(e.currentTarget.value)} />
        </Group>
        <Group grow align="start">
          <TextInput type="email" label={t('provisions.contacts.email')} value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
          <TextInput type="tel" label={t('provisions.contacts.phone')} value={phone} onChange={(e) => setPhone(e.currentTarget.value)} />
        </Group>
        <Checkbox label={t('provisions.contacts.primary')} checked={isPrimary} onChange={(e) => setIsPrimary(e.currentTarget.checked)} />
        <Group>
          <Button type="submit" loading={saving}>
            {t('provisions.contacts.save')}
          </Button>
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
