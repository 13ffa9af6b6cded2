// Respecting people's time: when a direct message may go out in the recipient's own zone.
import { DateTime } from 'luxon';
import { isValidTimeZone } from './time.js';

export interface WorkingHours {
  start: string; // HH:mm
  end: string; // HH:mm
}

const hm = (s: string) => {
  const [h, m] = s.split(':').map(Number);
  return { hour: h ?? 9, minute: m ?? 0 };
};

/**
 * `at` itself when it falls inside working hours (Mon–Fri, start–end, local to `zone`), otherwise
 * the start of the next working period. Wall-clock maths in the zone, so 09:00 stays 09:00 across
 * daylight-saving changes.
 */
export function nextWorkingMoment(at: Date, zone: string, hours: WorkingHours): Date {
  const tz = isValidTimeZone(zone) ? zone : 'UTC';
  let local = DateTime.fromJSDate(at, { zone: tz });
  for (let i = 0; i < 8; i++) {
    const start = local.set({ ...hm(hours.start), second: 0, millisecond: 0 });
    const end = local.set({ ...hm(hours.end), second: 0, millisecond: 0 });
    if (local.weekday <= 5) {
      if (local < start) return start.toJSDate();
      if (local < end) return local.toJSDate();
    }
    local = local.plus({ days: 1 }).set({ ...hm(hours.start), second: 0, millisecond: 0 });
    if (local.weekday <= 5) return local.toJSDate();
  }
  return local.toJSDate();
}

/** The start of working hours on the same local day as `at`. */
export function workdayStart(at: Date, zone: string, hours: WorkingHours): Date {
  const tz = isValidTimeZone(zone) ? zone : 'UTC';
  return DateTime.fromJSDate(at, { zone: tz }).set({ ...hm(hours.start), second: 0, millisecond: 0 }).toJSDate();
}
