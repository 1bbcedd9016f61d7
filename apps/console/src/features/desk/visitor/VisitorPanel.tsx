import { Button, Combobox, Group, Paper, Stack, Text, TextInput, Title, useCombobox } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Visitor, VisitorNeed } from '../../../api/types';
import { NeedBadges } from '../../../shared/NeedBadges';
import { ProblemAlert } from '../../../shared/ProblemAlert';
import { VisitorFormModal } from './VisitorFormModal';
import { useVisitorSearch } from './useVisitors';

interface Props {
  siteId: string;
  visitor: Visitor | null;
  onChange(visitor: Visitor | null): void;
  /** Needs declared on the ticket, proposed when the visitor is created. */
  ticketNeeds: VisitorNeed[];
}

/** Who is at the desk: recognise them (fuzzy search), create or complete their record. */
export function VisitorPanel({ siteId, visitor, onChange, ticketNeeds }: Props) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const results = useVisitorSearch(siteId, debounced);
  const combobox = useCombobox();
  const [editing, setEditing] = useState<'create' | 'edit' | null>(null);
  const items = results.data?.items ?? [];

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="visitor-title">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="visitor-title">
          {t('visitor.title')}
        </Title>
        <Group gap="xs">
          {visitor && (
            <>
              <Button size="xs" variant="default" onClick={() => setEditing('edit')}>
                {t('visitor.complete')}
              </Button>
              <Button size="xs" variant="subtle" onClick={() => onChange(null)}>
                {t('visitor.clear')}
              </Button>
            </>
          )}
          <Button size="xs" variant="light" onClick={() => setEditing('create')}>
            {t('visitor.create')}
          </Button>
        </Group>
      </Group>
      {visitor ? (
        <Stack gap={4}>
          <Text fw={700} size="lg" data-testid="visitor-name">
            {visitor.displayName}
          </Text>
          <Text size="sm" c="dimmed">
            {[t(`visitorType.${visitor.type}`), visitor.phone, visitor.email, visitor.preferredLanguage?.toUpperCase()].filter(Boolean).join(' · ')}
          </Text>
          <NeedBadges needs={visitor.needs} />
        </Stack>
      ) : (
        <Combobox store={combobox} onOptionSubmit={(id) => {
          const hit = items.find((v) => v.id === id);
          if (hit) onChange(hit);
          setSearch('');
          combobox.closeDropdown();
        }}>
          <Combobox.Target>
            <TextInput
              label={t('visitor.search')}
              placeholder={t('visitor.searchPlaceholder')}
              value={search}
              onChange={(e) => {
                setSearch(e.currentTarget.value);
                combobox.openDropdown();
              }}
              onFocus={() => combobox.openDropdown()}
              onBlur={() => combobox.closeDropdown()}
            />
          </Combobox.Target>
          <Combobox.Dropdown hidden={debounced.trim().length < 2}>
            <Combobox.Options>
              {items.length === 0 && <Combobox.Empty>{t('visitor.noMatch')}</Combobox.Empty>}
              {items.map((v) => (
                <Combobox.Option key={v.id} value={v.id}>
                  <Group justify="space-between" wrap="nowrap">
                    <div>
                      <Text size="sm" fw={600}>
                        {v.displayName}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {[v.phone, v.email].filter(Boolean).join(' · ')}
                      </Text>
                    </div>
                    <NeedBadges needs={v.needs} size="sm" />
                  </Group>
                </Combobox.Option>
              ))}
            </Combobox.Options>
          </Combobox.Dropdown>
        </Combobox>
      )}
      <ProblemAlert error={results.error} />
      {editing && (
        <VisitorFormModal
          siteId={siteId}
          visitor={editing === 'edit' ? visitor : null}
          initialNeeds={ticketNeeds}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            onChange(saved);
            setEditing(null);
          }}
        />
      )}
    </Paper>
  );
}
