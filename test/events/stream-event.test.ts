import { describe, expect, it } from '@jest/globals';
import { reconnectDelayMs } from '../../src/events/backoff.js';
import { ackFrame, pongFrame, readFrame } from '../../src/events/frames.js';
import { isContactEvent, parseEvent } from '../../src/events/stream-event.js';

const headers = {
  appId: '123',
  connectionId: 'c1',
  contentType: 'application/json',
  messageId: 'm1',
  time: '1700000000100',
  topic: '*',
  eventType: 'user_leave_org',
  eventId: 'e1',
  eventCorpId: 'dingcorp',
  eventBornTime: '1700000000000',
  eventUnifiedAppId: 'u',
};

const parse = (data: unknown, h: Record<string, unknown> = headers) => {
  const r = parseEvent(h, typeof data === 'string' ? data : JSON.stringify(data), 1_700_000_000_200);
  if (!r.ok) throw new Error(r.reason);
  return r.event;
};

describe('reading an EVENT frame', () => {
  it.each([
    ['an array', { userId: ['a', 'b'] }, ['a', 'b']],
    ['a single string', { userId: 'a' }, ['a']],
    ['absent', { timeStamp: '1' }, []],
    ['of the wrong type', { userId: 42 }, []],
  ])('userId as %s', (_what, data, userIds) => {
    expect(parse(data).userIds).toEqual(userIds);
  });

  it.each([
    ['numbers', { deptId: [432825033, 2] }, [432825033, 2]],
    ['strings', { deptId: ['432825033', '-7'] }, [432825033, -7]],
    ['one value', { deptId: '5' }, [5]],
    ['something else', { deptId: ['abc'] }, []],
  ])('deptId as %s', (_what, data, deptIds) => {
    expect(parse(data).deptIds).toEqual(deptIds);
  });

  it("keeps DingTalk's ids, the born time in ms and the arrival", () => {
    expect(parse({ userId: ['a'] })).toEqual({
      eventId: 'e1',
      eventType: 'user_leave_org',
      messageId: 'm1',
      corpId: 'dingcorp',
      bornAt: 1_700_000_000_000,
      receivedAt: 1_700_000_000_200,
      userIds: ['a'],
      deptIds: [],
      data: { userId: ['a'] },
    });
  });

  it('passes an unknown event type on; data that is not a JSON object reads as empty', () => {
    const e = parse('not json', { ...headers, eventType: 'org_admin_add' });
    expect(e.eventType).toBe('org_admin_add');
    expect(isContactEvent(e.eventType)).toBe(false);
    expect(e.data).toEqual({});
    expect(isContactEvent('user_add_org')).toBe(true);
  });

  it('a frame without an eventId is refused, naming the messageId so it can still be ACKed', () => {
    expect(parseEvent({ ...headers, eventId: undefined }, '{}', 0)).toEqual({
      ok: false,
      reason: expect.stringContaining('eventId'),
      messageId: 'm1',
    });
  });
});

describe('the frames a client sends', () => {
  it('an ACK names the messageId and says SUCCESS in a JSON string', () => {
    expect(JSON.parse(ackFrame('m1'))).toEqual({
      code: 200,
      headers: { contentType: 'application/json', messageId: 'm1' },
      message: 'OK',
      data: '{"status":"SUCCESS","message":"ok"}',
    });
  });

  it("a ping's echo carries its headers and data back with code 200", () => {
    const ping = readFrame(
      JSON.stringify({ type: 'SYSTEM', headers: { topic: 'ping', messageId: 'p' }, data: '{"opaque":"x"}' }),
    );
    expect(ping).toBeDefined();
    if (ping !== undefined)
      expect(JSON.parse(pongFrame(ping))).toEqual({
        code: 200,
        headers: { topic: 'ping', messageId: 'p' },
        message: 'OK',
        data: '{"opaque":"x"}',
      });
    expect(readFrame('nonsense')).toBeUndefined();
  });
});

describe('the reconnect backoff', () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [5, 16_000],
    [6, 30_000],
    [50, 30_000],
  ])('after %i failures in a row, the pause is %i ms (no jitter)', (failures, ms) => {
    expect(reconnectDelayMs(failures, () => 0)).toBe(ms);
  });

  it('jitter shortens a pause by at most 20 %, never lengthens it', () => {
    expect(reconnectDelayMs(6, () => 0.9999)).toBe(24_001);
    expect(reconnectDelayMs(1, () => 0.5)).toBe(900);
  });
});
