import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { signedRobotUrl } from '../../src/notify/channels.js';

const SECRET = 'SECabcdef0123456789';
const WEBHOOK = 'https://oapi.dingtalk.com/robot/send?access_token=tok';

describe('DingTalk robot signature', () => {
  it('appends timestamp and the URL-encoded Base64 HMAC-SHA256 of "timestamp\\nsecret", keyed by the secret', () => {
    let sawEscapes = false;
    for (let ts = 1_700_000_000_000; ts < 1_700_000_000_040; ts++) {
      const url = signedRobotUrl(WEBHOOK, SECRET, ts);
      const m =
        /^https:\/\/oapi\.dingtalk\.com\/robot\/send\?access_token=tok&timestamp=(\d+)&sign=([^&]+)$/.exec(
          url,
        );
      expect(m?.[1]).toBe(String(ts));
      const raw = m?.[2] ?? '';
      expect(raw).toMatch(/^[A-Za-z0-9%]+$/); // no raw +, / or =: they would not survive the query
      if (raw.includes('%')) sawEscapes = true;
      const expected = createHmac('sha256', SECRET).update(`${ts}\n${SECRET}`).digest('base64');
      expect(decodeURIComponent(raw)).toBe(expected);
    }
    expect(sawEscapes).toBe(true);
  });
});
