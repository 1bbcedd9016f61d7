import { List, Paper, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../shared/ProblemAlert';
import { type EscalationLevel, useEscalationPolicy } from './incidentsApi';

/** What happens when nobody takes a call for help on this site: the levels, their delays and who they reach. */
export function EscalationPolicyPanel({ siteId }: { siteId: string }) {
  const { t } = useTranslation();
  const policy = useEscalationPolicy(siteId, true);
  const who = (l: EscalationLevel) =>
    [
      l.notifySupervisors && t('incidents.policy.supervisors'),
      l.notifyAdmins && t('incidents.policy.admins'),
      l.notifySecurity && t('incidents.policy.security'),
      l.userIds.length > 0 && t('incidents.policy.people', { count: l.userIds.length }),
      ...l.emails,
    ]
      .filter(Boolean)
      .join(', ');
  let elapsed = 0;

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="incident-policy-title">
      <Title order={3} size="h4" id="incident-policy-title" mb="xs">
        {t('incidents.policy.title')}
      </Title>
      <ProblemAlert error={policy.error} />
      {policy.data && (
        <>
          <Text size="sm">{policy.data.isDefault ? t('incidents.policy.default') : t('incidents.policy.custom')}</Text>
          <List size="sm" mt={4}>
            <List.Item>{t('incidents.policy.immediate')}</List.Item>
            {policy.data.levels.map((l, i) => {
              elapsed += l.delaySeconds;
              return (
                <List.Item key={i}>
                  {t('incidents.policy.level', { level: i + 1, name: l.name, seconds: elapsed, who: who(l) })}
                  {l.sendEmail && ` ${t('incidents.policy.email')}`}
                </List.Item>
              );
            })}
          </List>
        </>
      )}
    </Paper>
  );
}
