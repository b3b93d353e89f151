/**
 * Daylight saving time through the whole product: the same local send time stays the same for
 * the participant when the clocks change. (Unit tests cover the edge cases in more zones.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/system.js';

let t: TestSystem;
// Before the 2026-11-01 clock change in New York.
beforeAll(async () => {
  t = await startTestSystem('2026-10-30T12:00:00Z');
});
afterAll(async () => t?.stop());

describe('daylight saving time, end to end', () => {
  it('keeps a New York participant at 08:00 local across the fall-back weekend', async () => {
    const c = await t.coach('coach-dst');
    const program = await c.post<{ id: string }>('/api/programs', {
      name: 'Mornings',
      questions: [{ text: 'Did I do my best to set clear goals today?', type: 'scale' }],
      schedule: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], time: '08:00' },
    });
    const phone = '+12125550777';
    await c.post('/api/participants', {
      name: 'D',
      phone,
      timeZone: 'America/New_York',
      programId: program.json.id,
      channel: 'sms',
    });
    await t.inbound(phone, 'YES');
    await t.clock('2026-11-03T00:00:00Z');
    const sentAt = (await t.sms(phone))
      .filter((m) => m.body.includes('clear goals'))
      .map((m) => m.sentAt.slice(0, 16));
    // 08:00 EDT is 12:00Z on Oct 31; from Nov 1 (the change is at 02:00) 08:00 EST is 13:00Z.
    expect(sentAt).toEqual(['2026-10-31T12:00', '2026-11-01T13:00', '2026-11-02T13:00']);
  });
});
