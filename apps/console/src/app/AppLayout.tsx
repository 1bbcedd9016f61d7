import { AppShell, Burger, Button, Group, NativeSelect, ScrollArea, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { useDisclosure, useLocalStorage } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet } from 'react-router';
import { hasRole, useAuth } from '../features/auth/useAuth';
import { LanguageSwitch } from '../shared/LanguageSwitch';
import { useSite } from './useSite';

/** Grouped as a reception team thinks of its day: the desk, what to follow up, the building, steering. */
const SECTIONS = [
  {
    key: 'nav.sections.reception',
    links: [
      { to: '/desk', key: 'nav.desk', role: 'agent' },
      { to: '/messages', key: 'messages.nav', role: 'agent' },
      { to: '/tasks', key: 'handoverTasks.nav.tasks', role: 'agent' },
      { to: '/agenda', key: 'handoverTasks.nav.agenda', role: 'agent' },
      { to: '/handover', key: 'handoverTasks.nav.handover', role: 'agent' },
    ],
  },
  {
    key: 'nav.sections.followUp',
    links: [
      { to: '/incidents', key: 'incidents.nav', role: 'agent' },
      { to: '/complaints', key: 'complaints.nav', role: 'agent' },
      { to: '/satisfaction', key: 'surveys.nav.figures', role: 'supervisor' },
      { to: '/surveys', key: 'surveys.nav.templates', role: 'supervisor' },
    ],
  },
  {
    key: 'nav.sections.facilities',
    links: [
      { to: '/rooms', key: 'rooms.nav', role: 'agent' },
      { to: '/service-orders', key: 'provisions.nav.orders', role: 'agent' },
      { to: '/providers', key: 'provisions.nav.providers', role: 'agent' },
    ],
  },
  {
    key: 'nav.sections.steering',
    links: [
      { to: '/supervisor', key: 'nav.supervisor', role: 'supervisor' },
      { to: '/devices', key: 'nav.devices', role: 'admin' },
    ],
  },
] as const;

/** Shell of the signed-in screens: role-aware navigation, site, language and sign-out. */
export function AppLayout() {
  const { t } = useTranslation();
  const { user, logout } = useAuth();
  const { siteId, sites, setSiteId } = useSite();
  const mySites = sites.filter((s) => user?.siteIds.includes(s.id));
  const [menuOpen, { toggle: toggleMenu, close: closeMenu }] = useDisclosure(false);
  // On a desk screen the agent may fold the menu away for room; the choice is kept per browser.
  const [navOpen, setNavOpen] = useLocalStorage({ key: 'guichet.nav', defaultValue: true });
  const toggleNav = () => setNavOpen((open) => !open);

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 210, breakpoint: 'sm', collapsed: { mobile: !menuOpen, desktop: !navOpen } }} padding="sm">
      <a href="#main" className="skip-link">
        {t('nav.skip')}
      </a>
      <AppShell.Header px="md">
        <Group h="100%" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={menuOpen} onClick={toggleMenu} hiddenFrom="sm" size="sm" aria-label={t('nav.menu')} aria-expanded={menuOpen} />
            <Burger opened={navOpen} onClick={toggleNav} visibleFrom="sm" size="sm" aria-label={t('nav.menu')} aria-expanded={navOpen} />
            <Title order={1} size="h3" c="blue.9">
              {t('app.name')}
            </Title>
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
      <AppShell.Navbar p="xs" aria-label={t('nav.label')}>
        <ScrollArea>
          {SECTIONS.map((section) => {
            const links = section.links.filter((l) => hasRole(user, l.role));
            if (links.length === 0) return null;
            return (
              <Stack key={section.key} gap={2} mb="sm" role="group" aria-labelledby={section.key}>
                <Text id={section.key} size="xs" fw={700} tt="uppercase" c="gray.7" px="xs">
                  {t(section.key)}
                </Text>
                {links.map((link) => (
                  <Button key={link.to} component={NavLink} to={link.to} onClick={closeMenu} variant="subtle" justify="flex-start" className="nav-link">
                    {t(link.key)}
                  </Button>
                ))}
              </Stack>
            );
          })}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
