import { Button, Group, List, Modal, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { type Complaint, LINK_FIELD, LINK_KINDS, type LinkKind, type LinkTarget } from './types';
import { complaintsApi, useComplaintWrite, useLinkSearch, useLinkTarget } from './useComplaints';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** "Demande « Carte grise » du 12/11/2026": what a linked record is, in words. */
function useTargetLabel() {
  const { t, i18n } = useTranslation();
  return (target: LinkTarget) =>
    t(`complaints.links.label.${target.kind}`, { name: target.name, date: new Date(target.at).toLocaleDateString(i18n.language) });
}

/** The request, ticket and service order the complaint is linked to, by name, and the dialog to link or unlink them. */
export function ComplaintLinks({ complaint }: { complaint: Complaint }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const unlink = useComplaintWrite((kind: LinkKind) => complaintsApi.update(complaint.id, complaint.version, { [LINK_FIELD[kind]]: null }));
  const linked = LINK_KINDS.filter((kind) => complaint[LINK_FIELD[kind]]);

  return (
    <Stack gap="xs" component="section" aria-labelledby="complaint-links-title">
      <Group justify="space-between">
        <Title order={3} size="h5" id="complaint-links-title">
          {t('complaints.links.title')}
        </Title>
        <Button size="compact-sm" variant="default" onClick={() => setOpen(true)}>
          {t('complaints.links.add')}
        </Button>
      </Group>
      {linked.length === 0 ? (
        <Text size="sm">{t('complaints.links.none')}</Text>
      ) : (
        <List size="sm" spacing={4} aria-labelledby="complaint-links-title">
          {linked.map((kind) => (
            <LinkedItem key={kind} kind={kind} id={complaint[LINK_FIELD[kind]] as string} onUnlink={() => unlink.mutate(kind)} busy={unlink.isPending && unlink.variables === kind} />
          ))}
        </List>
      )}
      {unlink.error && <ProblemAlert error={unlink.error} />}
      <Modal opened={open} onClose={() => setOpen(false)} title={t('complaints.links.dialogTitle')} size="lg" closeButtonProps={{ 'aria-label': t('complaints.close') }}>
        {open && <LinkForm complaint={complaint} onClose={() => setOpen(false)} />}
      </Modal>
    </Stack>
  );
}

function LinkedItem({ kind, id, onUnlink, busy }: { kind: LinkKind; id: string; onUnlink(): void; busy: boolean }) {
  const { t } = useTranslation();
  const label = useTargetLabel();
  const target = useLinkTarget(kind, id);
  const text = target.data
    ? label(target.data)
    : target.isPending
      ? t(`complaints.links.kinds.${kind}`)
      : t('complaints.links.unreadable', { kind: t(`complaints.links.kinds.${kind}`), ref: id.slice(0, 8) });
  return (
    <List.Item>
      <Group gap="xs">
        <Text size="sm">{text}</Text>
        <Button size="compact-xs" variant="subtle" color="red.9" onClick={onUnlink} loading={busy} aria-label={t('complaints.links.unlinkNamed', { label: text })}>
          {t('complaints.links.unlink')}
        </Button>
      </Group>
    </List.Item>
  );
}

function LinkForm({ complaint, onClose }: { complaint: Complaint; onClose(): void }) {
  const { t } = useTranslation();
  const label = useTargetLabel();
  const [kind, setKind] = useState<LinkKind>('request');
  const [text, setText] = useState('');
  const [day, setDay] = useState('');
  const [search] = useDebouncedValue(text, 300);
  const pasted = UUID.test(text.trim()) ? text.trim().toLowerCase() : null;
  const results = useLinkSearch(complaint.siteId, kind, pasted ? '' : search, day);
  const link = useComplaintWrite((target: { kind: LinkKind; id: string }) =>
    complaintsApi.update(complaint.id, complaint.version, { [LINK_FIELD[target.kind]]: target.id }),
  );
  // While another kind's results are still shown (kept during the next search), none of them is offered.
  const found = results.data?.filter((target) => target.kind === kind);
  const current = complaint[LINK_FIELD[kind]];
  const choose = (target: { kind: LinkKind; id: string }) => link.mutate(target, { onSuccess: onClose });

  return (
    <Stack gap="sm">
      <Group grow align="flex-start">
        <NativeSelect
          label={t('complaints.links.kind')}
          value={kind}
          onChange={(e) => {
            setKind(e.currentTarget.value as LinkKind);
            link.reset();
          }}
          data={LINK_KINDS.map((k) => ({ value: k, label: t(`complaints.links.kinds.${k}`) }))}
        />
        {kind === 'ticket' && <TextInput type="date" label={t('complaints.links.day')} value={day} onChange={(e) => setDay(e.currentTarget.value)} />}
      </Group>
      <TextInput
        label={t('complaints.links.search')}
        description={t(`complaints.links.searchHelp.${kind}`)}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        autoComplete="off"
      />
      {current && <Text size="sm">{t('complaints.links.replaces')}</Text>}
      {pasted ? (
        <Group>
          <Button onClick={() => choose({ kind, id: pasted })} loading={link.isPending}>
            {t('complaints.links.linkPasted')}
          </Button>
        </Group>
      ) : (
        <section aria-labelledby="link-results-title">
          <Title order={4} size="h6" id="link-results-title" mb={4}>
            {t('complaints.links.results')}
          </Title>
          {results.error && <ProblemAlert error={results.error} />}
          {found && found.length === 0 && !results.isPlaceholderData && <Text size="sm">{t('complaints.links.noResult')}</Text>}
          <List size="sm" spacing={4} listStyleType="none" aria-labelledby="link-results-title">
            {(found ?? []).map((target) => (
              <List.Item key={target.id}>
                <Group gap="xs" wrap="nowrap">
                  <Button
                    size="compact-sm"
                    variant="default"
                    disabled={target.id === current}
                    loading={link.isPending && link.variables?.id === target.id}
                    onClick={() => choose(target)}
                    aria-label={t('complaints.links.linkNamed', { label: label(target) })}
                  >
                    {t('complaints.links.link')}
                  </Button>
                  <Text size="sm">{label(target)}</Text>
                </Group>
              </List.Item>
            ))}
          </List>
        </section>
      )}
      {link.error && <ProblemAlert error={link.error} />}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('complaints.cancel')}
        </Button>
      </Group>
    </Stack>
  );
}
