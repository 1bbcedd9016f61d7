import { redactRequest, redactUrl } from './log-redaction';

describe('log redaction', () => {
  it('hides feed tokens, device keys and the tokens of public links', () => {
    expect(redactUrl('/api/v1/calendars/agents/u1.ics?token=s3cret')).toBe('/api/v1/calendars/agents/u1.ics?token=[redacted]');
    expect(redactUrl('/kiosk/x?lang=fr&key=abc&x=1')).toBe('/kiosk/x?lang=fr&key=[redacted]&x=1');
    expect(redactUrl('/api/v1/public/surveys/tok123/answers')).toBe('/api/v1/public/surveys/[redacted]/answers');
    expect(redactUrl('/api/v1/public/tickets/abc?x=1')).toBe('/api/v1/public/tickets/[redacted]?x=1');
  });

  it('leaves other addresses alone and drops parsed query and params', () => {
    expect(redactUrl('/api/v1/tickets?siteId=1&tokenish=2')).toBe('/api/v1/tickets?siteId=1&tokenish=2');
    expect(redactRequest({ url: '/a?token=1', query: { token: '1' }, params: { token: '1' } })).toEqual({ url: '/a?token=[redacted]' });
  });
});
