import { AppShell, Button, Group, NativeSelect, Text, Title, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet } from 'react-router';
import { hasRole, useAuth } from '../features/auth/useAuth';
import { LanguageSwitch } from '../shared/LanguageSwitch';
import { useSite } from './useSite';

const LINKS = [
  { to: '/desk', key: 'nav.desk', role: 'agent' },
  { to: '/supervisor', key: 'nav.supervisor', role: 'supervisor' },
  { to: '/devices', key: 'nav.devices', role: 'admin' },
  { to: '/rooms', key: 'rooms.nav', role: 'agent' },
  { to: '/handover', key: 'handoverTasks.nav.handover', role: 'agent' },
  { to: '/tasks', key: 'handoverTasks.nav.tasks', role: 'agent' },
  { to: '/agenda', key: 'handoverTasks.nav.agenda', role: 'agent' },
  { to: '/incidents', key: 'incidents.nav', role: 'agent' },
  { to: '/messages', key: 'messages.nav', role: 'agent' },
  { to: '/complaints', key: 'complaints.nav', role: 'agent' },
  { to: '/service-orders', key: 'provisions.nav.orders', role: 'agent' },
  { to: '/providers', key: 'provisions.nav.providers', role: 'agent' },
  { to: '/satisfaction', key: 'surveys.nav.figures', role: 'supervisor' },
  { to: '/surveys', key: 'surveys.nav.templates', role: 'supervisor' },
] as const;

/** Shell of the signed-in screens: role-aware navigation, site, language and sign-out. */
export function AppLayout() {
  const { t } = useTranslation();
  const { user, logout } = useAuth();
  const { siteId, sites, setSiteId } = useSite();
  const mySites = sites.filter((s) => user?.siteIds.includes(s.id));

  return (
    <AppShell header={{ height: 56 }} padding="sm">
      <a href="#main" className="skip-link">
        {t('nav.skip')}
      </a>
      <AppShell.Header px="md">
        <Group h="100%" justify="space-between" wrap="nowrap">
          <Group gap="lg" wrap="nowrap">
            <Title order={1} size="h3" c="blue.9">
              {t('app.name')}
            </Title>
            <Group component="nav" aria-label={t('nav.label')} gap={4}>
              {LINKS.filter((l) => hasRole(user, l.role)).map((link) => (
                <Button key={link.to} component={NavLink} to={link.to} variant="subtle" className="nav-link">
                  {t(link.key)}
                </Button>
              ))}
            </Group>
          </Group>
          <Group gap="sm" wrap="nowrap">
            {mySites.length > 1 && (
              <NativeSelect
                aria-label={t('nav.site')}
                value={siteId}
                onChange={(e) => setSiteId(e.currentTarget.value)}
                data={mySites.map((s) => ({ value: s.id, label: s.name }))}
              />
            )}
            {mySites.length === 1 && <Text size="sm">{mySites[0].name}</Text>}
            <LanguageSwitch />
            <Text size="sm" fw={600}>
              <VisuallyHidden>{t('nav.signedInAs')}</VisuallyHidden>
              {user?.displayName}
            </Text>
            <Button variant="default" onClick={() => void logout()}>
              {t('nav.logout')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main id="main" tabIndex={-1}>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
