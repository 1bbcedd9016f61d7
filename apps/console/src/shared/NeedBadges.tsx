import { Badge, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { VisitorNeed } from '../api/types';

/** Shade 9 (7 for grey): white text on them passes WCAG AA. */
const COLORS: Record<VisitorNeed, string> = {
  reduced_mobility: 'grape.9',
  hearing: 'indigo.9',
  sight: 'cyan.9',
  foreign_language: 'teal.9',
  urgency: 'red.9',
  accompanied_child: 'pink.9',
  other: 'gray.7',
};

/** Needs are shown wherever the visitor or their ticket appears, so the agent adapts at once. */
export function NeedBadges({ needs, size = 'md' }: { needs: readonly VisitorNeed[]; size?: 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  if (needs.length === 0) return null;
  return (
    <Group gap={6} aria-label={t('needs.label')}>
      {needs.map((need) => (
        <Badge key={need} color={COLORS[need]} size={size} variant="filled" autoContrast>
          {t(`needs.${need}`)}
        </Badge>
      ))}
    </Group>
  );
}
