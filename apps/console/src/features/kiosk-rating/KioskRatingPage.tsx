import { Alert, Box, Group, SimpleGrid, Stack, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api, ApiError } from '../../api/client';
import { useDeviceKey } from '../../shared/deviceKey';
import { DeviceSetup } from '../../shared/DeviceSetup';
import { LanguageSwitch } from '../../shared/LanguageSwitch';
import './kiosk-rating.css';

/** Unicode 6 faces: also drawn by DejaVu Sans on kiosks without an emoji font. */
const FACES = ['😞', '😟', '😐', '😊', '😄'];
/** The thanks (or a problem) stays this long, then the screen is ready for the next visitor. */
const RESET_MS = 6_000;

/**
 * Smiley rating after service, on a kiosk (device key with scope `kiosk`, the same as the ticket
 * kiosk of the site). The visitor may type their ticket number so the rating is tied to the visit.
 */
export function KioskRatingPage() {
  const { siteId = '' } = useParams();
  const device = useDeviceKey('kiosk', siteId);
  if (!device.key) return <DeviceSetup kind="kiosk" onSave={device.save} />;
  return <KioskRating siteId={siteId} apiKey={device.key} onNewKey={device.save} />;
}

function KioskRating({ siteId, apiKey, onNewKey }: { siteId: string; apiKey: string; onNewKey(key: string): void }) {
  const { t, i18n } = useTranslation();
  const [ticketNumber, setTicketNumber] = useState('');
  const rate = useMutation({
    mutationFn: (score: number) =>
      api<{ responseId: string }>('/kiosk/ratings', {
        method: 'POST',
        apiKey,
        body: { siteId, score, ticketNumber: ticketNumber.trim() || undefined, language: i18n.language },
      }),
  });
  const { reset, isSuccess, error } = rate;
  const finished = isSuccess || (error instanceof ApiError && error.status === 409);

  useEffect(() => {
    if (!finished && !error) return;
    const id = window.setTimeout(() => {
      reset();
      setTicketNumber('');
    }, RESET_MS);
    return () => window.clearTimeout(id);
  }, [finished, error, reset]);

  if (error instanceof ApiError && error.status === 401) return <DeviceSetup kind="kiosk" onSave={onNewKey} error={error} />;

  return (
    <Box component="main" className="kiosk-rating" p="xl">
      <Group justify="space-between" mb="xl">
        <Title order={1} fz={44}>
          {t('surveys.kiosk.title')}
        </Title>
        <LanguageSwitch size="xl" />
      </Group>
      <div aria-live="polite">
        {isSuccess && <Alert color="blue" title={t('surveys.kiosk.thanks')} mb="xl" />}
        {error instanceof ApiError && error.status === 409 && <Alert color="blue" title={t('surveys.kiosk.alreadyRated')} mb="xl" />}
        {error instanceof ApiError && error.status === 404 && <Alert color="blue" title={t('surveys.kiosk.unknownTicket')} mb="xl" />}
        {error && !(error instanceof ApiError && [401, 404, 409].includes(error.status)) && (
          <Alert color="red" title={t('surveys.kiosk.error')} mb="xl" />
        )}
      </div>
      {!finished && (
        <Stack gap="xl">
          <TextInput
            size="xl"
            maw={420}
            label={t('surveys.kiosk.ticket')}
            value={ticketNumber}
            onChange={(e) => setTicketNumber(e.currentTarget.value.toUpperCase())}
            maxLength={8}
            autoComplete="off"
          />
          <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="lg" role="group" aria-label={t('surveys.kiosk.title')}>
            {FACES.map((face, index) => (
              <UnstyledButton key={face} className="kiosk-rating-face" disabled={rate.isPending} onClick={() => rate.mutate(index + 1)}>
                <span className="kiosk-rating-emoji" aria-hidden="true">
                  {face}
                </span>
                <Text fz={24} fw={700} ta="center">
                  {t(`surveys.kiosk.scores.${index + 1}`)}
                </Text>
              </UnstyledButton>
            ))}
          </SimpleGrid>
        </Stack>
      )}
    </Box>
  );
}
