import { Box, Button, SimpleGrid, Text, Title, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { VisitorNeed } from '../../api/types';

/** Needs a visitor may declare at the kiosk; some of them shorten the wait (see the README). */
const KIOSK_NEEDS: VisitorNeed[] = ['reduced_mobility', 'hearing', 'sight', 'foreign_language', 'accompanied_child'];

export function NeedsPicker({ needs, onChange, onDone }: { needs: VisitorNeed[]; onChange(needs: VisitorNeed[]): void; onDone(): void }) {
  const { t } = useTranslation();
  const toggle = (need: VisitorNeed) => onChange(needs.includes(need) ? needs.filter((n) => n !== need) : [...needs, need]);
  return (
    <Box component="main" className="kiosk" p="xl">
      <Title order={1} fz={44} mb="md">
        {t('kiosk.needsTitle')}
      </Title>
      <Text fz={26} mb="lg">
        {t('kiosk.needsHint')}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg" role="group" aria-label={t('needs.label')}>
        {KIOSK_NEEDS.map((need) => (
          <UnstyledButton key={need} className="kiosk-tile" aria-pressed={needs.includes(need)} onClick={() => toggle(need)}>
            <Text fz={32} fw={700}>
              {needs.includes(need) ? '✓ ' : ''}
              {t(`needs.${need}`)}
            </Text>
          </UnstyledButton>
        ))}
      </SimpleGrid>
      <Button size="xl" h={88} fz={30} mt="xl" fullWidth onClick={onDone}>
        {t('kiosk.needsDone')}
      </Button>
    </Box>
  );
}
