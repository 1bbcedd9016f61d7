import { Button, Group, NumberInput, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../shared/ProblemAlert';
import '../providers/providers.css';
import { money } from './ServiceOrdersPage';
import type { OrderSettings } from './types';
import { useOrderSettings, usePutOrderSettings } from './useServiceOrders';

const CURRENCY = /^[A-Z]{3}$/;

/** The site's approval threshold (supervisors): orders above it wait for a supervisor before reaching the provider. */
export function ApprovalSettingsPanel({ siteId }: { siteId: string }) {
  const { t, i18n } = useTranslation();
  const settings = useOrderSettings(siteId);
  const put = usePutOrderSettings();
  const s = settings.data;

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="order-settings">
      <Title order={2} size="h4" id="order-settings">
        {t('provisions.settings.title')}
      </Title>
      {settings.error && <ProblemAlert error={settings.error} />}
      {s && (
        <>
          <Text size="sm" my="xs">
            {t('provisions.settings.current', { amount: money(s.approvalThresholdCents, s.currency, i18n.language) })}
            {!s.custom && ` ${t('provisions.settings.default')}`}
          </Text>
          {/* Keyed by version: after a save (or a colleague's, re-read on a conflict) the form shows the stored values. */}
          <SettingsForm key={s.version} settings={s} saving={put.isPending} onSave={(approvalThresholdCents, currency) => put.mutate({ settings: s, approvalThresholdCents, currency })} />
          <div role="status" aria-live="polite">
            {put.isSuccess && !put.isPending && <Text size="sm">{t('provisions.settings.saved')}</Text>}
          </div>
          {put.error && <ProblemAlert error={put.error} />}
        </>
      )}
    </Paper>
  );
}

function SettingsForm({ settings, saving, onSave }: { settings: OrderSettings; saving: boolean; onSave(cents: number, currency: string): void }) {
  const { t } = useTranslation();
  const [amount, setAmount] = useState<number | string>(settings.approvalThresholdCents / 100);
  const [currency, setCurrency] = useState(settings.currency);
  const [touched, setTouched] = useState(false);
  const amountError = amount === '' || !Number.isFinite(Number(amount)) ? t('provisions.settings.amountRequired') : Number(amount) < 0 ? t('provisions.settings.amountNegative') : undefined;
  const currencyError = CURRENCY.test(currency) ? undefined : t('provisions.settings.currencyInvalid');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (amountError || currencyError) return;
    onSave(Math.round(Number(amount) * 100), currency);
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="xs">
        <Group align="start" grow>
          <NumberInput
            label={t('provisions.settings.amount')}
            description={t('provisions.settings.amountHint')}
            required
            decimalScale={2}
            clampBehavior="none"
            value={amount}
            onChange={setAmount}
            error={touched ? amountError : undefined}
          />
          <TextInput
            label={t('provisions.settings.currency')}
            description={t('provisions.settings.currencyHint')}
            required
            maxLength={3}
            value={currency}
            onChange={(e) => setCurrency(e.currentTarget.value.toUpperCase())}
            error={touched ? currencyError : undefined}
          />
        </Group>
        <Group>
          <Button type="submit" loading={saving}>
            {t('provisions.settings.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
