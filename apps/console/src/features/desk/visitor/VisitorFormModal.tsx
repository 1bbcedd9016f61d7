import { Button, Checkbox, Chip, Group, Modal, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import { CONSENT_PURPOSES, type CreatedVisitor, type Visitor, VISITOR_NEEDS, VISITOR_TYPES, type VisitorNeed, type VisitorType } from '../../../api/types';
import { ProblemAlert } from '../../../shared/ProblemAlert';
import { type VisitorInput, useSaveVisitor } from './useVisitors';

const LANGUAGES = ['fr', 'en', 'ar', 'es', 'pt', 'de', 'it', 'tr', 'ro', 'zh', 'uk', 'ru'];

interface Props {
  siteId: string;
  /** null: a new visitor. */
  visitor: Visitor | null;
  initialNeeds: VisitorNeed[];
  onClose(): void;
  onSaved(visitor: Visitor): void;
}

const blank = (s: string) => (s.trim() ? s.trim() : null);

/** Creates or completes a visitor; after a creation, possible duplicates are offered instead. */
export function VisitorFormModal({ siteId, visitor, initialNeeds, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const save = useSaveVisitor(siteId);
  const [type, setType] = useState<VisitorType>(visitor?.type ?? 'citizen');
  const [firstName, setFirstName] = useState(visitor?.firstName ?? '');
  const [lastName, setLastName] = useState(visitor?.lastName ?? '');
  const [phone, setPhone] = useState(visitor?.phone ?? '');
  const [email, setEmail] = useState(visitor?.email ?? '');
  const [language, setLanguage] = useState<string | null>(visitor?.preferredLanguage ?? null);
  const [needs, setNeeds] = useState<string[]>(visitor?.needs ?? initialNeeds);
  const [needsOther, setNeedsOther] = useState(visitor?.needsOther ?? '');
  const [purposes, setPurposes] = useState<string[]>(visitor?.consent.given ? visitor.consent.purposes : []);
  const [created, setCreated] = useState<CreatedVisitor | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const input: VisitorInput = {
      type,
      firstName: blank(firstName),
      lastName: blank(lastName),
      phone: blank(phone),
      email: blank(email),
      preferredLanguage: language,
      needs: needs as VisitorNeed[],
      needsOther: needs.includes('other') ? blank(needsOther) : null,
      // Purposes recorded elsewhere (through the API) are kept; the form only ticks its own.
      consent: (() => {
        const kept = (visitor?.consent.purposes ?? []).filter((p) => !(CONSENT_PURPOSES as readonly string[]).includes(p));
        const all = [...kept, ...purposes];
        return { given: all.length > 0, purposes: all };
      })(),
    };
    save.mutate(
      { id: visitor?.id, version: visitor?.version, input },
      { onSuccess: (saved) => (saved.duplicates.length > 0 ? setCreated(saved) : onSaved(saved)) },
    );
  }

  const pickDuplicate = async (id: string) => onSaved(await api<Visitor>(`/visitors/${id}`));

  return (
    <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened onClose={onClose} size="lg" title={visitor ? t('visitor.form.editTitle') : t('visitor.form.createTitle')}>
      {created ? (
        <Stack>
          <Text>{t('visitor.form.duplicates')}</Text>
          {created.duplicates.map((d) => (
            <Group key={d.id} justify="space-between">
              <Text fw={600}>{d.displayName}</Text>
              <Button size="xs" variant="light" onClick={() => void pickDuplicate(d.id)}>
                {t('visitor.form.useExisting')}
              </Button>
            </Group>
          ))}
          <Button variant="default" onClick={() => onSaved(created)}>
            {t('visitor.form.keepNew')}
          </Button>
        </Stack>
      ) : (
        <Stack component="form" onSubmit={submit}>
          <SegmentedControl
            aria-label={t('visitor.form.type')}
            value={type}
            onChange={(v) => setType(v as VisitorType)}
            data={VISITOR_TYPES.map((v) => ({ value: v, label: t(`visitorType.${v}`) }))}
          />
          <SimpleGrid cols={2}>
            <TextInput label={t('visitor.form.firstName')} value={firstName} onChange={(e) => setFirstName(e.currentTarget.value)} data-autofocus />
            <TextInput label={t('visitor.form.lastName')} value={lastName} onChange={(e) => setLastName(e.currentTarget.value)} />
            <TextInput label={t('visitor.form.phone')} type="tel" value={phone} onChange={(e) => setPhone(e.currentTarget.value)} />
            <TextInput label={t('visitor.form.email')} type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
          </SimpleGrid>
          <Select
            label={t('visitor.form.language')}
            clearable
            value={language}
            onChange={setLanguage}
            data={LANGUAGES.map((code) => ({ value: code, label: t(`languages.${code}`) }))}
            comboboxProps={{ withinPortal: false }}
          />
          <Chip.Group multiple value={needs} onChange={setNeeds}>
            <Text size="sm" fw={500} id="needs-label">
              {t('needs.label')}
            </Text>
            <Group gap="xs" role="group" aria-labelledby="needs-label">
              {VISITOR_NEEDS.map((need) => (
                <Chip key={need} value={need}>
                  {t(`needs.${need}`)}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
          {needs.includes('other') && <Textarea label={t('visitor.form.needsOther')} value={needsOther} onChange={(e) => setNeedsOther(e.currentTarget.value)} />}
          <Checkbox.Group label={t('visitor.form.consent')} description={t('visitor.form.consentHelp')} value={purposes} onChange={setPurposes}>
            <Group gap="md" mt={4}>
              {CONSENT_PURPOSES.map((purpose) => (
                <Checkbox key={purpose} value={purpose} label={t(`visitor.form.consentPurposes.${purpose}`)} />
              ))}
            </Group>
          </Checkbox.Group>
          <ProblemAlert error={save.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
