import { Button, Drawer } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PhoneCallForm } from './PhoneCallForm';

/**
 * Multichannel desk: the phone rings while a visitor waits at the counter. The call is logged in a
 * drawer, leaving the visitor's workspace as it is.
 */
export function PhoneCallButton({ siteId }: { siteId: string }) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  return (
    <>
      <Button variant="light" onClick={() => setOpened(true)}>
        {t('phone.open')}
      </Button>
      <Drawer closeButtonProps={{ 'aria-label': t('common.close') }} opened={opened} onClose={() => setOpened(false)} position="right" size="lg" title={t('phone.title')}>
        {/* Mounted while open only: each call starts its own clock and a blank form. */}
        {opened && <PhoneCallForm siteId={siteId} onClose={() => setOpened(false)} />}
      </Drawer>
    </>
  );
}
