/**
 * Programs a coach can change, personal experiments, what a prompt costs, and delivery status, end
 * to end against the real local parts: the coach API, the dispatcher on the local clock, the local
 * Twilio gateway and its signed status callbacks.
 */
import { SegmentedMessage } from 'sms-segments-calculator';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CoachClient,
  type Json,
  type Res,
  startTestSystem,
  type TestSystem,
} from '../support/system.js';

const PHONE = '+12125550177';
const AUTH_TOKEN = 'local-twilio-auth-token';

interface ProgramJson {
  id: string;
  name: string;
  coachId: string | null;
  builtIn: boolean;
  archivedAt?: string;
  questions: { text: string }[];
  smsCost: { encoding: string; segments: number };
  rescheduled?: number;
}
interface PromptJson {
  kind: string;
  scheduledFor: string;
  status: string;
  deliveryStatus?: string;
}
interface ExperimentJson {
  id: string;
  status: string;
  endDate: string;
  note?: Json;
}

let t: TestSystem;
let coach: CoachClient;
let token: string;
let programId: string;
let participantId: string;

/** PUT and DELETE as the coach (the shared client only has GET and POST). */
const send = <T = Json>(method: 'PUT' | 'DELETE', path: string, body?: unknown): Promise<Res<T>> =>
  t.request<T>(method, path, body, { authorization: `Bearer ${token}` });

/** Prompt SMS to the participant (not the opt-in request or the confirmations). */
const promptsSent = async () => (await t.sms(PHONE)).filter((m) => m.body.includes('Did I'));
const lastPrompt = async () => (await promptsSent()).at(-1)?.body ?? '';

beforeAll(async () => {
  // Monday 2026-11-23, 09:00 in New York.
  t = await startTestSystem('2026-11-23T14:00:00Z');
  coach = await t.coach('coach-pia');
  token = (await t.request<{ token: string }>('POST', '/dev/token', { coachId: 'coach-pia' })).json.token;
});

afterAll(async () => {
  await t?.stop();
});

describe('a program and what its prompt costs', () => {
  it('answers a new program with the SMS encoding and segment count of its prompt', async () => {
    const res = await coach.post<ProgramJson>('/api/programs', {
      name: 'Focus',
      // "ç" is outside GSM-7: the whole SMS goes UCS-2.
      questions: [
        { type: 'scale', text: 'Did I set one clear goal today?' },
        { type: 'scale', text: 'Did I finish what I started, façade aside?' },
      ],
      schedule: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], time: '18:00' },
    });
    expect(res.status).toBe(201);
    expect(res.json.smsCost).toMatchObject({ encoding: 'UCS-2' });
    programId = res.json.id;
    const list = await coach.get<{ programs: ProgramJson[] }>('/api/programs');
    expect(list.json.programs.find((p) => p.id === programId)?.smsCost).toEqual(res.json.smsCost);
    expect(list.json.programs.find((p) => p.id === 'daily-questions')?.smsCost.encoding).toBe('GSM-7');
  });

  it('refuses a program whose prompt would exceed 3 segments, with the count', async () => {
    const long = Array.from({ length: 6 }, (_, i) => ({
      type: 'scale',
      text: `Question ${i + 1}: did I take a quiet moment to think through my plan and my priorities?`,
    }));
    const res = await coach.post<{ error: string }>('/api/programs', {
      name: 'Too long',
      questions: long,
      schedule: { days: ['mon'], time: '18:00' },
    });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatch(/would be \d+ SMS segments/);
  });

  it("reports the segment count Twilio's calculator gives for the SMS actually sent", async () => {
    const enrolled = await coach.post<{ id: string }>('/api/participants', {
      name: 'Noa',
      phone: PHONE,
      timeZone: 'America/New_York',
      programId,
      channel: 'sms',
    });
    expect(enrolled.status).toBe(201);
    participantId = enrolled.json.id;
    await t.settle();
    expect((await t.inbound(PHONE, 'YES')).reply).toMatch(/You're in/);
    await t.clock('2026-11-23T23:00:30Z'); // 18:00 in New York
    const sent = await promptsSent();
    expect(sent).toHaveLength(1);
    const { json } = await coach.get<{ programs: ProgramJson[] }>('/api/programs');
    const reported = json.programs.find((p) => p.id === programId)?.smsCost;
    const counted = new SegmentedMessage(sent[0]?.body ?? '');
    expect(reported).toMatchObject({ segments: counted.segmentsCount, encoding: counted.encodingName });
  });
});

describe('delivery status a coach can read', () => {
  const statusOf = async (scheduledFor: string) => {
    const { json } = await coach.get<{ prompts: PromptJson[] }>(`/api/participants/${participantId}/prompts`);
    return json.prompts.find((p) => p.kind === 'prompt' && p.scheduledFor === scheduledFor)?.deliveryStatus;
  };
  const callback = async (scheduledFor: string, status: string, errorCode?: string) => {
    const url = `${t.url}/webhooks/twilio/status?${new URLSearchParams({ p: participantId, s: scheduledFor })}`;
    const sid = (await t.sms(PHONE)).filter((m) => m.body.includes('Did I')).at(-1)?.sid ?? '';
    const params: Record<string, string> = {
      MessageSid: sid,
      SmsSid: sid,
      MessageStatus: status,
      SmsStatus: status,
      AccountSid: 'AC00000000000000000000000000000000',
      ...(errorCode ? { ErrorCode: errorCode } : {}),
    };
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': getExpectedTwilioSignature(AUTH_TOKEN, url, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    expect(res.status).toBe(200);
  };

  it("shows delivered once the gateway's callbacks arrived", async () => {
    expect(await statusOf('2026-11-23T23:00:00.000Z')).toBe('delivered');
  });

  it('ignores an older callback replayed later, a repeat, and a contradicting final one', async () => {
    const scheduledFor = '2026-11-23T23:00:00.000Z';
    await callback(scheduledFor, 'sent');
    await callback(scheduledFor, 'queued');
    await callback(scheduledFor, 'delivered');
    await callback(scheduledFor, 'undelivered', '30003');
    expect(await statusOf(scheduledFor)).toBe('delivered');
  });
});

describe('personal experiments', () => {
  let experimentId: string;
  let laterId: string;

  it('attaches an experiment that waits for its start date', async () => {
    const res = await coach.post<ExperimentJson>(`/api/participants/${participantId}/experiments`, {
      question: { type: 'yes-no', text: 'Did I pause before answering in the standup?' },
      startDate: '2026-11-25',
      endDate: '2026-11-26',
      note: { observation: 'You interrupt in standups', impact: 'People stop sharing' },
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ status: 'upcoming', endDate: '2026-11-26' });
    experimentId = res.json.id;
    const later = await coach.post<ExperimentJson>(`/api/participants/${participantId}/experiments`, {
      question: { type: 'scale', text: 'How rested did I feel this morning?' },
      startDate: '2026-11-27',
      weeks: 2,
    });
    expect(later.json).toMatchObject({ status: 'upcoming', endDate: '2026-12-10' });
    laterId = later.json.id;
  });

  it('is not in the prompt before its start date', async () => {
    await t.clock('2026-11-24T23:00:30Z');
    expect(await promptsSent()).toHaveLength(2);
    expect(await lastPrompt()).not.toContain('pause before answering');
  });

  it('rides along in the prompts of its days, after the program questions', async () => {
    await t.clock('2026-11-25T23:00:30Z');
    const wednesday = await lastPrompt();
    expect(wednesday).toContain('Did I set one clear goal today?');
    expect(wednesday).toMatch(/3\. Did I pause before answering in the standup\?/);
    const list = await coach.get<{ experiments: ExperimentJson[] }>(
      `/api/participants/${participantId}/experiments`,
    );
    expect(list.json.experiments.find((e) => e.id === experimentId)?.status).toBe('active');
    await t.clock('2026-11-26T23:00:30Z');
    expect(await lastPrompt()).toContain('pause before answering');
  });

  it('ends by itself after its end date; one ended early never starts', async () => {
    const ended = await send<ExperimentJson>(
      'DELETE',
      `/api/participants/${participantId}/experiments/${laterId}`,
    );
    expect(ended.status).toBe(200);
    expect(ended.json.status).toBe('ended');
    await t.clock('2026-11-27T23:00:30Z');
    expect(await promptsSent()).toHaveLength(5);
    const friday = await lastPrompt();
    expect(friday).not.toContain('pause before answering');
    expect(friday).not.toContain('How rested');
    const list = await coach.get<{ experiments: ExperimentJson[] }>(
      `/api/participants/${participantId}/experiments`,
    );
    expect(list.json.experiments.map((e) => e.status)).toEqual(['ended', 'ended']);
  });

  it("hides another coach's participant's experiments (404)", async () => {
    const other = await t.coach('coach-ole');
    expect((await other.get(`/api/participants/${participantId}/experiments`)).status).toBe(404);
    const attach = await other.post(`/api/participants/${participantId}/experiments`, {
      question: { type: 'yes-no', text: 'Did I sneak in?' },
      startDate: '2026-11-28',
      weeks: 1,
    });
    expect(attach.status).toBe(404);
  });
});

describe('changing, copying and archiving programs', () => {
  let copyId: string;

  it('applies an edit from the next prompt: new text at the new time', async () => {
    await t.clock('2026-11-28T12:00:00Z'); // Saturday 07:00 in New York
    const res = await send<ProgramJson>('PUT', `/api/programs/${programId}`, {
      name: 'Focus, evenings',
      questions: [{ type: 'scale', text: 'Did I take a real break today?' }],
      schedule: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], time: '19:00' },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ rescheduled: 1, smsCost: { encoding: 'GSM-7', segments: 1 } });
    const participant = await coach.get<{ nextDueAt: string }>(`/api/participants/${participantId}`);
    expect(participant.json.nextDueAt).toBe('2026-11-29T00:00:00.000Z');
    await t.clock('2026-11-28T23:30:00Z'); // the old time passes: nothing
    expect(await promptsSent()).toHaveLength(5);
    await t.clock('2026-11-29T00:00:30Z'); // 19:00 in New York
    expect(await promptsSent()).toHaveLength(6);
    expect(await lastPrompt()).toBe('Did I take a real break today? Reply 1-10.');
  });

  it('refuses to change the built-in program, and copies it instead', async () => {
    const put = await send<{ error: string }>('PUT', '/api/programs/daily-questions', {
      name: 'Mine now',
      questions: [{ type: 'scale', text: 'Did I do my best today?' }],
      schedule: { days: ['mon'], time: '18:00' },
    });
    expect(put.status).toBe(409);
    expect(put.json.error).toContain('/copy');
    const copy = await coach.post<ProgramJson>('/api/programs/daily-questions/copy', {});
    expect(copy.status).toBe(201);
    expect(copy.json).toMatchObject({
      coachId: 'coach-pia',
      builtIn: false,
      name: 'Copy of Daily questions',
    });
    expect(copy.json.questions).toHaveLength(6);
    copyId = copy.json.id;
    const other = await t.coach('coach-ole');
    expect((await t.request('PUT', `/api/programs/${programId}`, {}, {})).status).toBe(401);
    expect((await other.post(`/api/programs/${programId}/archive`, {})).status).toBe(404);
  });

  it('archives a program: new enrolments are refused, its participants keep running', async () => {
    const archived = await coach.post<ProgramJson>(`/api/programs/${programId}/archive`, {});
    expect(archived.status).toBe(200);
    expect(archived.json.archivedAt).toBeDefined();
    const enrol = await coach.post<{ field: string }>('/api/participants', {
      name: 'Late',
      phone: '+12125550178',
      timeZone: 'America/New_York',
      programId,
      channel: 'sms',
    });
    expect(enrol.status).toBe(409);
    expect(enrol.json.field).toBe('programId');
    expect(await t.sms('+12125550178')).toHaveLength(0);
    const edit = await send('PUT', `/api/programs/${programId}`, {
      name: 'x',
      questions: [{ type: 'scale', text: 'Did I edit an archive?' }],
      schedule: { days: ['mon'], time: '18:00' },
    });
    expect(edit.status).toBe(409);
    await t.clock('2026-11-30T00:00:30Z');
    expect(await promptsSent()).toHaveLength(7);
  });

  it('moves a participant to another program: its questions at its time', async () => {
    const moved = await coach.post<{ programId: string; nextDueAt: string }>(
      `/api/participants/${participantId}/program`,
      { programId: copyId },
    );
    expect(moved.status).toBe(200);
    // The copy asks at 20:00 New York time.
    expect(moved.json).toMatchObject({ programId: copyId, nextDueAt: '2026-11-30T01:00:00.000Z' });
    await t.clock('2026-11-30T01:00:30Z');
    expect(await promptsSent()).toHaveLength(8);
    expect(await lastPrompt()).toMatch(/^Did I do my best to\.\.\. today\?/);
  });
});
