/**
 * What the gateway remembers: messages sent to handsets, the conversation per number, queued
 * faults, and the background work (status callbacks, held-back responses) that `idle()` waits for
 * and `close()` cuts short.
 */
import type { Fault, SentSms } from './types.js';

/** Twilio gives up on a webhook after 15 s; so do we, for callbacks and inbound messages. */
const WEBHOOK_TIMEOUT_MS = 15_000;

/** One line of the phone simulator's conversation log. */
export interface ConversationEntry {
  sid: string;
  direction: 'inbound' | SentSms['direction'];
  from: string;
  to: string;
  body: string;
  at: string;
  /** The outbound record, so the log shows its current status. */
  sms?: SentSms;
}

/** A conversation line as `/_conversation` lists it. */
export type ConversationLine = Omit<ConversationEntry, 'sms'> & { status: string };

/** The state of one running gateway. */
export class GatewayState {
  readonly sentLog: SentSms[] = [];
  readonly conversation: ConversationEntry[] = [];
  readonly faults: Fault[] = [];
  private readonly pending = new Set<Promise<unknown>>();
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  // Aborts in-flight webhook requests on close so nothing outlives the gateway.
  private readonly shutdown = new AbortController();
  closed = false;

  /** Keeps `promise` in the set `idle()` waits for. */
  track<T>(promise: Promise<T>): Promise<T> {
    this.pending.add(promise);
    const done = (): void => {
      this.pending.delete(promise);
    };
    promise.then(done, done);
    return promise;
  }

  /** A timer that close() can cut short, so `slow` responses do not keep the process alive. */
  delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.set(timer, resolve);
    });
  }

  /** The signal of one outgoing webhook: aborted on close or after Twilio's timeout. */
  webhookSignal(): AbortSignal {
    return AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(WEBHOOK_TIMEOUT_MS)]);
  }

  /** The fault for the next create call, if any (one use of its count). */
  takeFault(): Fault | undefined {
    const head = this.faults[0];
    if (!head) return undefined;
    if (head.count <= 1) this.faults.shift();
    else this.faults[0] = { ...head, count: head.count - 1 };
    return head;
  }

  recordSent(sms: SentSms): SentSms {
    this.sentLog.push(sms);
    const { sid, direction, from, to, body, sentAt } = sms;
    this.conversation.push({ sid, direction, from, to, body, at: sentAt, sms });
    return sms;
  }

  sent(to?: string): SentSms[] {
    return this.sentLog.filter((s) => to === undefined || s.to === to).map((s) => ({ ...s }));
  }

  conversationWith(number: string): ConversationLine[] {
    return this.conversation
      .filter((e) => (e.direction === 'inbound' ? e.from === number : e.to === number))
      .map(({ sms, ...e }) => ({ ...e, status: sms?.status ?? 'received' }));
  }

  numbersSeen(): string[] {
    return [...new Set(this.conversation.map((e) => (e.direction === 'inbound' ? e.from : e.to)))];
  }

  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Marks the gateway closed, aborts webhooks and releases held timers. */
  close(): void {
    this.closed = true;
    this.shutdown.abort();
    for (const [timer, release] of this.timers) {
      clearTimeout(timer);
      release();
    }
    this.timers.clear();
  }

  /** Waits for whatever was still running when the gateway closed. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}
