/**
 * No timing oracle in enrolment: a coach who enrols a number that said STOP (perhaps to another
 * coach) gets the same answer, built from the same repository requests, as for any other number,
 * so neither the response nor the time it takes says what the person told someone else. Counted
 * on the ports (each call is one DynamoDB request in the real adapters), never by the clock.
 */
import { describe, expect, it } from 'vitest';
import { DAILY_QUESTIONS } from '../../shared/domain/program.js';
import { enrolParticipant } from '../../shared/usecases/participants.js';
import { fixedClock, memoryAdapters } from '../support/memory.js';

/** Wraps every port so each call is logged as `port.method`, in order. */
function counted<T extends object>(name: string, port: T, log: string[]): T {
  return new Proxy(port, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        log.push(`${name}.${String(key)}`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** The shape of a response: every key and the type of its value, with values that differ by number removed. */
const shapeOf = (view: object) =>
  Object.fromEntries(
    Object.entries(view).map(([k, v]) => [k, k === 'status' || k === 'optInRequest' ? v : typeof v]),
  );

async function enrolWith(at: string, phone: string, contact: 'fresh' | 'opted-out' | 'suppressed') {
  const memory = memoryAdapters();
  if (contact !== 'fresh') {
    await memory.contacts.setOptOut('sms', phone, true, '2026-11-01T00:00:00.000Z');
    if (contact === 'suppressed') await memory.contacts.suppress('sms', phone, 'hard-bounce');
  }
  const log: string[] = [];
  const deps = {
    programs: counted('programs', memory.programs, log),
    participants: counted('participants', memory.participants, log),
    contacts: counted('contacts', memory.contacts, log),
    prompts: counted('prompts', memory.prompts, log),
    sendQueue: counted('sendQueue', memory.sendQueue, log),
    rateLimiter: counted('rateLimiter', memory.rateLimiter, log),
    clock: fixedClock(at),
    smsAllowedCountries: '*' as const,
    enrolmentsPerHour: 100,
    erasedContacts: counted('erasedContacts', memory.erasedContacts, log),
    addressKey: memory.addressKey,
  };
  const view = await enrolParticipant(deps, 'coach-bo', {
    name: 'Sam',
    phone,
    timeZone: 'America/New_York',
    programId: DAILY_QUESTIONS.id,
    channel: 'sms',
  });
  return { view, log, queued: memory.store.queued.length };
}

describe('enrolling a number that opted out', () => {
  it.each([
    ['in the day (the opt-in request is queued)', '2026-11-23T15:00:00.000Z'],
    ['in quiet hours (the opt-in request is deferred)', '2026-11-24T04:00:00.000Z'],
  ])('%s: same answer shape, same requests in the same order', async (_label, at) => {
    const fresh = await enrolWith(at, '+12125550101', 'fresh');
    for (const kind of ['opted-out', 'suppressed'] as const) {
      const held = await enrolWith(at, '+12125550102', kind);
      expect(shapeOf(held.view)).toEqual(shapeOf(fresh.view));
      expect(held.view.status).toBe('pending');
      expect(held.view.optInAt).toBe(fresh.view.optInAt);
      expect(held.log).toEqual(fresh.log);
      expect(held.queued).toBe(fresh.queued);
    }
    expect(fresh.log.length).toBeGreaterThan(3);
  });
});
