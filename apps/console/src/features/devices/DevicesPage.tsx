import { Anchor, Button, Code, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { ApiKeyCreated } from '../../api/types';
import { useSite } from '../../app/useSite';
import { ProblemAlert } from '../../shared/ProblemAlert';
import type { DeviceKind } from '../../shared/deviceKey';

const SCOPES: Record<DeviceKind, string[]> = { kiosk: ['kiosk'], display: ['display'] };

/**
 * Admins set up a kiosk or a hall display: a device key limited to that use and site is created,
 * and the link that installs it on the device is shown once (the key is never shown again).
 */
export function DevicesPage() {
  const { t } = useTranslation();
  const { siteId, sites } = useSite();
  const siteName = sites.find((s) => s.id === siteId)?.name ?? '';
  const create = useMutation({
    mutationFn: (kind: DeviceKind) =>
      api<ApiKeyCreated>('/api-keys', { method: 'POST', body: { name: t(`device.${kind}.keyName`, { site: siteName }), scopes: SCOPES[kind], siteIds: [siteId] } }).then(
        (key) => ({ kind, key }),
      ),
  });
  const link = create.data ? `${window.location.origin}/${create.data.kind}/${siteId}?key=${encodeURIComponent(create.data.key.key)}` : '';

  return (
    <Paper withBorder p="lg" maw={760}>
      <Stack>
        <Title order={2}>{t('devices.title')}</Title>
        <Text>{t('devices.intro', { site: siteName })}</Text>
        <Group>
          <Button onClick={() => create.mutate('kiosk')} loading={create.isPending && create.variables === 'kiosk'}>
            {t('devices.createKiosk')}
          </Button>
          <Button onClick={() => create.mutate('display')} loading={create.isPending && create.variables === 'display'}>
            {t('devices.createDisplay')}
          </Button>
        </Group>
        <ProblemAlert error={create.error} />
        {create.data && (
          <Stack gap="xs" role="status">
            <Text fw={600}>{t('devices.created')}</Text>
            <Code block>{link}</Code>
            <Anchor href={link} target="_blank" rel="noopener">
              {t(`devices.open.${create.data.kind}`)}
            </Anchor>
            <Text size="sm" c="dimmed">
              {t('devices.once')}
            </Text>
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
