import { Button, Checkbox, Group, Modal, NativeSelect, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../shared/ProblemAlert';
import type { ComplaintCategory } from './types';
import { complaintsApi, useComplaintWrite } from './useComplaints';

type WarningKind = 'none' | 'percent' | 'minutes';

interface Props {
  category: ComplaintCategory | null;
  onClose(): void;
}

/** Changes a category's name and SLA; the API applies it to complaints received afterwards (If-Match: the version shown). */
export function EditCategoryModal({ category, onClose }: Props) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={!!category}
      onClose={onClose}
      title={t('complaints.categories.editTitle', { name: category?.name ?? '' })}
      size="lg"
      closeButtonProps={{ 'aria-label': t('complaints.close') }}
    >
      {category && <CategoryForm key={category.id} category={category} onClose={onClose} />}
    </Modal>
  );
}

function CategoryForm({ category, onClose }: { category: ComplaintCategory; onClose(): void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(category.name);
  const [ack, setAck] = useState<number | ''>(category.acknowledgeMinutes);
  const [answer, setAnswer] = useState<number | ''>(category.answerMinutes);
  const [warningKind, setWarningKind] = useState<WarningKind>(
    category.warningPercent !== null ? 'percent' : category.warningMinutesBefore !== null ? 'minutes' : 'none',
  );
  const [warning, setWarning] = useState<number | ''>(category.warningPercent ?? category.warningMinutesBefore ?? '');
  const [businessHours, setBusinessHours] = useState(category.useBusinessHours);
  // The version the form was filled from: if someone changes the category meanwhile, the API answers 409 instead of overwriting it.
  const [version] = useState(category.version);
  const save = useComplaintWrite((body: Record<string, unknown>) => complaintsApi.updateCategory(category.id, version, body));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = warning === '' ? null : warning;
    save.mutate(
      {
        name,
        acknowledgeMinutes: ack,
        answerMinutes: answer,
        warningPercent: warningKind === 'percent' ? value : null,
        warningMinutesBefore: warningKind === 'minutes' ? value : null,
        useBusinessHours: businessHours,
      },
      { onSuccess: onClose },
    );
  };

  return (
    <form onSubmit={submit}>
      <Stack gap="sm">
        <Text size="sm">{t('complaints.categories.editHelp')}</Text>
        <TextInput label={t('complaints.categories.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} required maxLength={120} />
        <Group grow align="flex-start">
          <NumberInput label={t('complaints.categories.ackMinutes')} value={ack} onChange={(v) => setAck(typeof v === 'number' ? v : '')} min={1} allowDecimal={false} required />
          <NumberInput label={t('complaints.categories.answerMinutes')} value={answer} onChange={(v) => setAnswer(typeof v === 'number' ? v : '')} min={1} allowDecimal={false} required />
        </Group>
        <Group grow align="flex-start">
          <NativeSelect
            label={t('complaints.categories.warningKind')}
            value={warningKind}
            onChange={(e) => setWarningKind(e.currentTarget.value as WarningKind)}
            data={(['none', 'percent', 'minutes'] as const).map((kind) => ({ value: kind, label: t(`complaints.categories.warningKinds.${kind}`) }))}
          />
          {warningKind !== 'none' && (
            <NumberInput
              label={t(warningKind === 'percent' ? 'complaints.categories.warningAt' : 'complaints.categories.warningMinutesBefore')}
              value={warning}
              onChange={(v) => setWarning(typeof v === 'number' ? v : '')}
              min={1}
              max={warningKind === 'percent' ? 99 : undefined}
              allowDecimal={false}
              required
            />
          )}
        </Group>
        <Checkbox label={t('complaints.categories.useBusinessHours')} checked={businessHours} onChange={(e) => setBusinessHours(e.currentTarget.checked)} />
        {save.error && <ProblemAlert error={save.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('complaints.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t('complaints.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
