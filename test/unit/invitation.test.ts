import { SegmentedMessage } from 'sms-segments-calculator';
import { describe, expect, it } from 'vitest';
import {
  gsmLength,
  invitationSms,
  inviterText,
  joinedSms,
  smsName,
} from '../../shared/channels/sms/domain/invitation.js';

describe('the SMS invitation', () => {
  it('is the issue text, with HELP and rates while one segment holds them', () => {
    expect(invitationSms({ coachName: 'Ana Ruiz', programName: 'Focus' })).toBe(
      'Ana Ruiz (Focus program) invites you to daily questions by SMS. Reply YES to join, STOP to opt out. HELP for help. Msg&data rates may apply.',
    );
  });

  it.each([
    ['Ana Ruiz', 'Focus'],
    ['Maximiliana Bartholomew-Featherstonehaugh', 'Leadership for first-time managers, cohort 2026'],
    ['Zoë “Zee” Ünal', 'Énergie'],
  ])('stays one GSM-7 segment for %s / %s', (coachName, programName) => {
    const text = invitationSms({ coachName, programName });
    const segments = new SegmentedMessage(text);
    expect(segments.encodingName).toBe('GSM-7');
    expect(segments.segmentsCount).toBe(1);
    expect(text).toMatch(/Reply YES to join, STOP to opt out\./u);
  });

  it('keeps names in other scripts readable rather than saving a segment', () => {
    expect(smsName('王芳')).toBe('王芳');
    expect(gsmLength('王芳')).toBeUndefined();
  });

  it('names "Your coach" when the coach is unknown, and never says "program program"', () => {
    expect(inviterText({ programName: 'Sleep program' })).toBe('Your coach (Sleep program)');
    expect(joinedSms({ coachName: 'Ben Li', programName: 'Sleep' }, 'Tue 7:00 PM')).toBe(
      "You're in with Ben Li (Sleep program). First check-in: Tue 7:00 PM. Reply STOP to opt out.",
    );
  });
});
