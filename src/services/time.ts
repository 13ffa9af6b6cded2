// Time helpers in a user's IANA zone. Pure: `now` is always a parameter.
import * as chrono from 'chrono-node';
import { DateTime, IANAZone } from 'luxon';

export const WORKDAY_START = { hour: 9, minute: 0 } as const;
export const WORKDAY_END = { hour: 18, minute: 0 } as const;

const LOCALE = 'en-US'; // fixed so output never depends on the host's locale data

export interface FoundDate {
  index: number;
  text: string;
  at: Date;
  hadTime: boolean;
}

export interface FindDateOptions {
  now: Date;
  timeZone: string;
  prefer: 'future' | 'past';
}

// Luxon checks a zone by building an Intl.DateTimeFormat (~40 µs): a scan asks for every row.
const zoneValidity = new Map<string, boolean>();

export function isValidTimeZone(zone: string): boolean {
  if (typeof zone !== 'string' || zone.trim() === '') return false;
  let valid = zoneValidity.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    if (zoneValidity.size < 1000) zoneValidity.set(zone, valid);
  }
  return valid;
}

function assertZone(zone: string): void {
  if (!isValidTimeZone(zone)) throw new RangeError(`Unknown time zone: ${zone}`);
}

function local(at: Date, timeZone: string): DateTime {
  assertZone(timeZone);
  if (Number.isNaN(at.getTime())) throw new RangeError('Invalid date');
  return DateTime.fromJSDate(at, { zone: timeZone });
}

function toDate(dt: DateTime): Date {
  if (!dt.isValid) throw new RangeError(`Invalid date: ${dt.invalidExplanation ?? dt.invalidReason}`);
  return dt.toJSDate();
}

// chrono knows only a fixed UTC offset (the zone's offset at `now`), so these extra
// phrases compute their day from chrono's zone-adjusted reference, as chrono's own parsers do.
const eodParser: chrono.Parser = {
  pattern: () => /\b(?:eod|cob|end\s+of\s+(?:the\s+)?(?:business\s+|work(?:ing)?\s+)?day|close\s+of\s+business)\b/i,
  extract: () => ({ hour: WORKDAY_END.hour, minute: WORKDAY_END.minute }),
};

const eowParser: chrono.Parser = {
  pattern: () => /\b(?:eow|end\s+of\s+(?:the\s+)?(?:work(?:ing)?\s+)?week)\b/i,
  extract: (context) => {
    const ref = context.reference.getDateWithAdjustedTimezone();
    const friday = new Date(ref);
    friday.setDate(ref.getDate() + ((5 - ref.getDay() + 7) % 7));
    const components = context.createParsingComponents({ weekday: 5, hour: WORKDAY_END.hour, minute: WORKDAY_END.minute });
    components.imply('year', friday.getFullYear()).imply('month', friday.getMonth() + 1).imply('day', friday.getDate());
    if (context.option.forwardDate && components.date() < context.reference.instant) {
      friday.setDate(friday.getDate() + 7);
      components.imply('year', friday.getFullYear()).imply('month', friday.getMonth() + 1).imply('day', friday.getDate());
    }
    return components;
  },
};

const parser = chrono.casual.clone();
parser.parsers.push(eodParser, eowParser);

const DATE_PARTS = ['year', 'month', 'day', 'weekday', 'hour', 'minute'] as const;
const CONNECTOR_BEFORE = /\b(?:by|due|on|before|until|till|til|deadline|this|next)\s*:?\s*$/i;

// Guards against chrono reading ordinary words and numbers as dates.
function isPlausible(result: chrono.ParsedResult, text: string): boolean {
  const phrase = result.text.trim();
  if (/^\d+$/.test(phrase)) return false;
  const s = result.start;
  if (!DATE_PARTS.some((c) => s.isCertain(c))) return false; // e.g. "this week"
  const tags = s.tags();
  // "a second look", "20 min call", "5h": durations only count with a direction word.
  if (tags.has('result/relativeDate') && !/\b(?:in|within|from\s+now|ago|later|after|next|last|past|this)\b/i.test(phrase)) {
    return false;
  }
  // "Sun Microsystems", "sat down", "March numbers": need a connector such as "by".
  const weak = /^(?:sun|sat|mar|may)$/i.test(phrase) || (s.isCertain('month') && !s.isCertain('day') && !s.isCertain('weekday'));
  return !weak || CONNECTOR_BEFORE.test(text.slice(0, result.index));
}

/**
 * An hour said without am or pm is read the way people at work mean it: "at 3" is 15:00, "at 9"
 * is 09:00. Hours 1–6 without a meridiem become afternoon; an explicit "3am" or "03:00" stays.
 */
function workingHour(result: chrono.ParsedResult): number {
  const s = result.start;
  const hour = s.get('hour') ?? 0;
  const zeroPadded = /(?:^|\D)0\d[:.h]?\d{0,2}\b/.test(result.text);
  return hour >= 1 && hour <= 6 && !s.isCertain('meridiem') && !zeroPadded ? hour + 12 : hour;
}

function resolve(result: chrono.ParsedResult, opts: FindDateOptions): { at: Date; hadTime: boolean } {
  const s = result.start;
  // An explicit zone ("5pm ET") or a relative time ("in 2 hours") is already an exact instant.
  if (s.isCertain('hour') && s.isCertain('timezoneOffset')) return { at: s.date(), hadTime: true };

  const day = { year: s.get('year') ?? 0, month: s.get('month') ?? 0, day: s.get('day') ?? 0 };
  const at = (time: { hour: number; minute: number }) =>
    toDate(DateTime.fromObject({ ...day, ...time }, { zone: opts.timeZone }));

  if (s.isCertain('hour')) return { at: at({ hour: workingHour(result), minute: s.get('minute') ?? 0 }), hadTime: true };
  if (/\bmorning\b/i.test(result.text)) return { at: at(WORKDAY_START), hadTime: true };
  if (/\b(?:afternoon|evening|tonight|night)\b/i.test(result.text)) {
    return { at: at({ hour: s.get('hour') ?? 12, minute: s.get('minute') ?? 0 }), hadTime: true };
  }
  return { at: at(opts.prefer === 'future' ? WORKDAY_END : { hour: 12, minute: 0 }), hadTime: false };
}

/** Like findDate, but every plausible date expression in order (up to `limit`). */
export function findDates(text: string, opts: FindDateOptions, limit = 10): FoundDate[] {
  const { now, timeZone, prefer } = opts;
  const ref = { instant: now, timezone: local(now, timeZone).offset };
  // Parse without forwardDate first: chrono moves a date forward when its implied noon has
  // passed, but a bare date means the end of that working day, so "Friday" at 13:00 on a Friday
  // is still today 18:00. Only dates that are really past take chrono's forward reading.
  const plain = parser.parse(text, ref, { forwardDate: false });
  const forward = prefer === 'future' ? parser.parse(text, ref, { forwardDate: true }) : [];
  const found: FoundDate[] = [];
  for (const result of plain) {
    if (found.length >= limit) break;
    if (!isPlausible(result, text)) continue;
    let at: Date, hadTime: boolean;
    try {
      ({ at, hadTime } = resolve(result, opts));
    } catch {
      continue; // components luxon cannot build; not a usable date
    }
    // Without a certain day, a weekday (or a bare time) can move by a week (or a day).
    const shift = result.start.isCertain('day') ? null : result.start.isCertain('weekday') ? { weeks: 1 } : { days: 1 };
    if (prefer === 'future' && at < now) {
      const ahead = forward.find((r) => r.index === result.index);
      if (ahead) ({ at, hadTime } = resolve(ahead, opts));
      // chrono does not move a weekday with a time ("Friday 5pm") forward.
      if (at < now && shift && result.start.isCertain('weekday')) at = toDate(local(at, timeZone).plus(shift));
    } else if (prefer === 'past') {
      if (at > now && shift) at = toDate(local(at, timeZone).minus(shift));
      if (at > now && !hadTime) at = now;
    }
    found.push({ index: result.index, text: trimUnbalanced(result.text), at, hadTime });
  }
  return found;
}

// chrono's weekday pattern can swallow the ")" of "(by Friday)".
function trimUnbalanced(text: string): string {
  const count = (re: RegExp) => text.match(re)?.length ?? 0;
  return /[)\]]$/.test(text) && count(/[([]/g) < count(/[)\]]/g) ? trimUnbalanced(text.slice(0, -1)) : text;
}

/**
 * The first date/time expression in `text`, read in `timeZone`. Without a time, a future date
 * means the end of that working day (WORKDAY_END) and a past date means noon (or now, if sooner).
 * "eod"/"cob" is WORKDAY_END, "eow" is Friday at WORKDAY_END, "morning" is WORKDAY_START.
 * A weekday named on that same weekday is today until the time has passed, then next week.
 */
export function findDate(text: string, opts: FindDateOptions): FoundDate | null {
  return findDates(text, opts, 1)[0] ?? null;
}

export function endOfWorkday(date: { year: number; month: number; day: number }, timeZone: string): Date {
  assertZone(timeZone);
  return toDate(DateTime.fromObject({ ...date, ...WORKDAY_END }, { zone: timeZone }));
}

/**
 * Short form in the zone: "today 18:00", "tomorrow 18:00", "yesterday 18:00", "Fri 18:00" for
 * the next 2–6 days, otherwise "Thu 3 Dec 18:00" ("Thu 3 Dec 2027 18:00" in another year).
 * Older past dates always get the full form so "Fri" never reads as an upcoming Friday.
 * `withTime: false` drops the time.
 */
export function formatWhen(at: Date, timeZone: string, now: Date, opts: { withTime?: boolean } = {}): string {
  const when = local(at, timeZone).setLocale(LOCALE);
  const today = local(now, timeZone).startOf('day');
  const days = Math.round(when.startOf('day').diff(today, 'days').days);
  const time = opts.withTime === false ? '' : ` ${when.toFormat('HH:mm')}`;
  if (days === 0) return `today${time}`;
  if (days === 1) return `tomorrow${time}`;
  if (days === -1) return `yesterday${time}`;
  if (days > 1 && days <= 6) return `${when.toFormat('ccc')}${time}`;
  return when.toFormat(when.year === today.year ? 'ccc d LLL' : 'ccc d LLL yyyy') + time;
}

export function localDateString(at: Date, timeZone: string): string {
  return local(at, timeZone).toFormat('yyyy-MM-dd');
}

/** Moves `days` working days (Mon–Fri) keeping the local wall time; a weekend start counts from the next working day. */
export function addWorkingDays(at: Date, days: number, timeZone: string): Date {
  if (!Number.isFinite(days)) throw new RangeError(`Invalid number of days: ${days}`);
  const start = local(at, timeZone);
  const step = days < 0 ? -1 : 1;
  let left = Math.abs(Math.trunc(days));
  // Count calendar days first and add them once, so a daylight-saving gap on a day passed
  // over cannot shift the wall time.
  let weekday = start.weekday;
  let offset = 0;
  const move = () => {
    do {
      offset += step;
      weekday = ((weekday - 1 + step + 7) % 7) + 1;
    } while (weekday > 5);
    left--;
  };
  if (left > 0 && weekday > 5) move();
  // From a weekday, every 5 working days is exactly one calendar week.
  const weeks = Math.floor(left / 5);
  offset += weeks * 7 * step;
  left -= weeks * 5;
  while (left > 0) move();
  return toDate(start.plus({ days: offset }));
}
