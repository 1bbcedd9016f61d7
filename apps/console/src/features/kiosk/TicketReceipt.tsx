import { Box, Button, Group, Image, Stack, Text } from '@mantine/core';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IssuedTicket, Queue } from '../../api/types';
import { minutes } from '../../shared/format';
import { NeedBadges } from '../../shared/NeedBadges';

const BACK_TO_HOME_MS = 45_000;

/**
 * The issued ticket, on screen and on 80 mm thermal paper (see kiosk.css), with a QR code to the
 * public page where the visitor follows their place on their phone.
 */
export function TicketReceipt({ ticket, queue, onDone }: { ticket: IssuedTicket; queue: Queue | undefined; onDone(): void }) {
  const { t } = useTranslation();
  const link = `${window.location.origin}/t/${ticket.trackingToken}`;
  const [qr, setQr] = useState<string>();

  useEffect(() => {
    void QRCode.toDataURL(link, { margin: 1, width: 240, errorCorrectionLevel: 'M' }).then(setQr);
  }, [link]);
  useEffect(() => {
    const id = window.setTimeout(onDone, BACK_TO_HOME_MS);
    return () => window.clearTimeout(id);
  }, [onDone]);

  return (
    <Box component="main" className="kiosk" p="xl">
      <Stack align="center" gap="lg" className="ticket-receipt">
        <Text fz={30} className="receipt-queue">
          {queue?.name}
        </Text>
        <Text fz={140} fw={900} lh={1} data-testid="issued-number" aria-live="polite">
          {ticket.number}
        </Text>
        <NeedBadges needs={ticket.needs} size="lg" />
        <Text fz={30} ta="center">
          {ticket.position ? t('kiosk.position', { count: ticket.position }) : ''}
          {ticket.estimatedWaitSeconds !== null && (
            <>
              <br />
              {t('kiosk.estimate', { count: minutes(ticket.estimatedWaitSeconds) })}
            </>
          )}
        </Text>
        {qr && <Image src={qr} w={240} h={240} alt={t('kiosk.qrAlt')} />}
        <Text fz={22} ta="center" maw={560}>
          {t('kiosk.qrHint')}
        </Text>
        {/* Also as text, for a phone that cannot scan. */}
        <Text fz={16} data-testid="tracking-link">
          {link}
        </Text>
        <Text className="receipt-date" fz={16}>
          {new Date().toLocaleString()}
        </Text>
      </Stack>
      <Group justify="center" mt="xl" className="no-print">
        <Button size="xl" h={80} fz={26} variant="outline" onClick={() => window.print()}>
          {t('kiosk.print')}
        </Button>
        <Button size="xl" h={80} fz={26} onClick={onDone}>
          {t('kiosk.done')}
        </Button>
      </Group>
    </Box>
  );
}
