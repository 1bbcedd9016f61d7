import { Button, Center, Paper, PasswordInput, Stack, TextInput, Title, Text } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { LanguageSwitch } from '../../shared/LanguageSwitch';
import { homePath } from '../../app/homePath';
import { useAuth } from './useAuth';

export function LoginPage() {
  const { t } = useTranslation();
  const { login, user } = useAuth();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  if (user) {
    const from = (location.state as { from?: string } | null)?.from;
    return <Navigate to={from ?? homePath(user)} replace />;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email.trim(), password);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Center component="main" mih="100vh" bg="gray.1" p="md">
      <Paper component="form" onSubmit={submit} w={400} p="xl" radius="md" shadow="sm" withBorder>
        <Stack>
          <Title order={1} size="h2">
            {t('app.name')}
          </Title>
          <Text c="dimmed">{t('login.intro')}</Text>
          <TextInput label={t('login.email')} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} autoFocus />
          <PasswordInput label={t('login.password')} autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          <ProblemAlert error={error} />
          <Button type="submit" loading={busy} size="md">
            {t('login.submit')}
          </Button>
          <LanguageSwitch />
        </Stack>
      </Paper>
    </Center>
  );
}
