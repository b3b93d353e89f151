/** Shapes of the coach API's answers, as the dashboard reads them. */

export type Channel = 'sms' | 'email';
export type Status = 'pending' | 'active' | 'paused' | 'opted_out' | 'bouncing';

export type Question =
  | { type: 'scale'; text: string; min?: number; max?: number; experimentId?: string }
  | { type: 'yes-no'; text: string; experimentId?: string }
  | { type: 'number'; text: string; unit?: string; min?: number; max?: number; experimentId?: string }
  | { type: 'text'; text: string; experimentId?: string };

export interface Schedule {
  days: string[];
  time: string;
  quietHours?: { start: string; end: string };
  freshnessMinutes?: number;
  reminderAfterHours?: number;
}

export interface Program {
  id: string;
  name: string;
  questions: Question[];
  schedule: Schedule;
  builtIn?: boolean;
  /** Set once the program is archived: it takes no new enrolments. */
  archivedAt?: string;
  /** Whether participants get their weekly report card (the server always says). */
  reportCard?: boolean;
  sms?: { encoding: string; segments: number; characters: number; nonGsmCharacters: string[] };
}

export interface Participant {
  id: string;
  name: string;
  channel: Channel;
  phone?: string;
  email?: string;
  timeZone: string;
  programId: string;
  status: Status;
  createdAt: string;
  consentAt?: string;
  pausedUntil?: string;
  nextDueAt?: string;
}

export interface SummaryQuestion {
  key: string;
  text: string;
  type: Question['type'];
  min: number | null;
  max: number | null;
  unit: string | null;
  experimentId: string | null;
  count: number;
  average: number | null;
  min_value: number | null;
  max_value: number | null;
  change: number | null;
  yesShare: number | null;
  values: { scheduledFor: string; value: number }[];
}

export interface Summary {
  participantId: string;
  name: string;
  channel: Channel;
  status: Status;
  timeZone: string;
  week: string;
  closed: boolean;
  flags: string[];
  /** Messages the participant wrote that the coach has not marked read. */
  unreadMessages?: number;
  sent: number;
  answered: number;
  responseRate: number | null;
  streak: number;
  lastAnswerAt: string | null;
  questions: SummaryQuestion[];
  comments: { scheduledFor: string; questionIndex: number; text: string }[];
  texts: { scheduledFor: string; question: string; text: string }[];
  annotation: string | null;
  /** The coach's push for this week (absent from servers older than this field). */
  push?: 'sent' | 'scheduled' | 'skipped' | 'none';
  pushAt?: string | null;
}

export interface Answer {
  question: string;
  questionIndex: number;
  value?: number;
  text?: string;
  experimentId?: string;
  channel: Channel;
  source: string;
  scheduledFor: string;
  receivedAt: string;
  comment?: string;
}

export interface PromptView {
  kind: string;
  channel: Channel;
  scheduledFor: string;
  status: string;
  attempts?: number;
  sentAt?: string;
  skipReason?: string;
  errorCode?: string;
  answeredAt?: string;
}

export interface Push {
  id: string;
  participantId: string;
  text: string;
  channel: Channel;
  sendAt: string;
  status: string;
  skipReason?: string;
  exercise?: { question: Question; followUpDays?: number };
  answer?: { value?: number; text?: string; receivedAt: string };
  createdAt: string;
}

export interface Experiment {
  id: string;
  question: Question;
  startDate: string;
  endDate: string;
  status?: 'upcoming' | 'active' | 'ended';
  note?: { observation?: string; impact?: string; improvement?: string };
  answers?: { value?: number; text?: string; receivedAt: string }[];
}

export interface CohortReport {
  week: string;
  programId: string;
  participants: number;
  suppressed: boolean;
  responseRate?: number | null;
  questions?: {
    key: string;
    text: string;
    type: string;
    count: number;
    average: number | null;
    distribution: Record<string, number>;
  }[];
}

/** One entry of a participant's conversation (`GET /api/participants/{id}/messages`), newest first. */
export type ConversationEntry =
  | {
      from: 'participant';
      id: string;
      at: string;
      channel: Channel;
      /** What they wrote: plain text, rendered as text. */
      text: string;
      urgent: boolean;
      readAt?: string;
    }
  | ({ from: 'coach'; at: string } & Push);

export interface ConversationView {
  messages: ConversationEntry[];
  unreadMessages: number;
  needsHuman: boolean;
}
