/** "Needs a human": which messages flag a participant, and what is said to them and to the coach. */
import { describe, expect, it } from 'vitest';
import { needsHumanAckEmail } from '../../shared/channels/email/domain/needs-human-email.js';
import { needsHumanSms } from '../../shared/channels/sms/domain/needs-human-sms.js';
import { smsCost } from '../../shared/channels/sms/domain/sms-cost.js';
import { messageIdOf, providerMessageIdOf } from '../../shared/domain/conversation.js';
import { needsHuman, needsHumanCoachEmail } from '../../shared/domain/needs-human.js';
import { keywordOf } from '../../shared/domain/reply.js';

describe('needsHuman', () => {
  it.each([
    ['I need to talk', true],
    ['i NEED to   talk to you', true],
    ['Help me', true],
    ['help me!!', true],
    ['Please, help!', true],
    ["I'm in crisis", true],
    ['CRISIS', true],
    ['I can’t go on like this', true],
    ['i cant go on', true],
    ['sometimes I want to die', true],
    ['thinking about suicide', true],
    ['I keep hurting myself', true],
    ['self-harm again', true],
    ['I want to kill myself', true],
    ['ＨＥＬＰ ＭＥ', true], // full-width, NFKC
    ['hel\u200Bp me', true], // zero-width space inside a word
    ['7 I need to talk', true], // around an answer
    // Not flagged.
    ['HELP', false], // the carrier keyword, answered by its compliant HELP reply
    ['help', false],
    ['INFO', false],
    ['7', false],
    ['8 tough day', false],
    ['That was helpful, thanks', false],
    ['helpme', false],
    ['we talked about the merger', false],
    ['', false],
  ])('%j → %s', (text, expected) => {
    expect(needsHuman(text)).toBe(expected);
  });

  it('leaves HELP alone to the carrier keyword, and "help me" is not one', () => {
    expect(keywordOf('HELP')).toBe('help');
    expect(keywordOf('help me')).toBeUndefined();
  });
});

describe('what is said', () => {
  it("answers by SMS with the coach's name in one GSM-7 segment", () => {
    const text = needsHumanSms('Ana Ruiz');
    expect(text).toContain('Ana Ruiz');
    expect(text).toContain('a person will read your message');
    expect(smsCost(text)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(needsHumanSms(undefined)).toMatch(/^Thank you for telling us\. Your coach has been told/u);
  });

  it('answers by email in plain words, escaped', () => {
    const mail = needsHumanAckEmail('<Ana>');
    expect(mail.text).toContain('<Ana>, your coach,');
    expect(mail.html).toContain('&lt;Ana&gt;');
    expect(mail.html).not.toContain('<Ana>');
  });

  it('emails the coach the name and the link, never the message, with the name escaped', () => {
    const mail = needsHumanCoachEmail('Sam <b>', 'https://coach.example/app/#/p/p1');
    expect(mail.subject).toBe('Sam <b> may need a human now');
    expect(mail.html).toContain('Sam &lt;b&gt;');
    expect(mail.text).toContain('https://coach.example/app/#/p/p1');
    expect(() => needsHumanCoachEmail('Sam', 'javascript:alert(1)')).toThrow(RangeError);
  });
});

describe('message ids', () => {
  it.each(['SM0123456789abcdef', 'email:<abc@mail.example>'])('round-trips %s', (provider) => {
    const id = messageIdOf(provider);
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/u);
    expect(providerMessageIdOf(id)).toBe(provider);
  });

  it.each(['', 'not base64!', 'a'.repeat(800)])('refuses %j', (id) => {
    expect(providerMessageIdOf(id)).toBeUndefined();
  });
});
