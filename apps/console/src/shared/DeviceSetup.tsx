import { Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from './ProblemAlert';
import type { DeviceKind } from './deviceKey';

/** First start of a kiosk or display: the installer enters the device key once. */
export function DeviceSetup({ kind, onSave, error }: { kind: DeviceKind; onSave(key: string): void; error?: unknown }) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (value.trim()) onSave(value.trim());
  };
  return (
    <Center component="main" mih="100vh" bg="gray.1" p="md">
      <Paper component="form" onSubmit={submit} withBorder p="xl" w={480}>
        <Stack>
          <Title order={1} size="h2">
            {t(`device.${kind}.setupTitle`)}
          </Title>
          <Text>{t('device.setupHint')}</Text>
          <PasswordInput label={t('device.key')} value={value} onChange={(e) => setValue(e.currentTarget.value)} required autoFocus />
          <ProblemAlert error={error} />
          <Button type="submit" size="md">
            {t('device.save')}
          </Button>
        </Stack>
      </Paper>
    </Center>
  );
}
