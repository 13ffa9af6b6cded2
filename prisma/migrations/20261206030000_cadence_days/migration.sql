-- Cadence moments are days (issue 14): due by the end of working hours on the day the interval
-- ends, in the account owner's time zone; dark at the end of the day twice the interval on; warned
-- at the start of working hours on the first day of the last `cadenceWarningFraction` of the
-- interval, at least one working day (Mon-Fri) before the due day. From now on refreshCadence
-- (src/services/cadence.ts) stores them so; this recomputes the moments stored before, the same
-- way, in one statement. No schema change.
WITH facts AS (
  SELECT a.id,
         COALESCE(a.last_touch_at, a.created_at) AS base,
         -- An unknown zone name would stop the statement; Kept reads such a zone as UTC too.
         CASE WHEN EXISTS (SELECT 1 FROM pg_timezone_names z WHERE z.name = o.time_zone) THEN o.time_zone ELSE 'UTC' END AS zone,
         COALESCE(a.cadence_days, (w.settings -> 'tierCadenceDays' ->> a.tier::text)::int,
                  CASE a.tier::text WHEN 'strategic' THEN 7 WHEN 'key' THEN 14 ELSE 30 END) AS days,
         COALESCE((w.settings ->> 'cadenceWarningFraction')::numeric, 0.2) AS fraction,
         COALESCE(w.settings -> 'workingHours' ->> 'start', '09:00')::time AS day_start,
         COALESCE(w.settings -> 'workingHours' ->> 'end', '18:00')::time AS day_end
  FROM accounts a
  JOIN workspaces w ON w.id = a.workspace_id
  LEFT JOIN users o ON o.id = a.owner_id
),
days AS (
  SELECT id, zone, days, fraction, day_start, day_end,
         (base AT TIME ZONE zone)::date + days AS due_day,
         (base AT TIME ZONE zone)::date + 2 * days AS dark_day
  FROM facts
),
warn AS (
  SELECT id, zone, day_start, day_end, due_day, dark_day,
         LEAST(
           due_day - round(days * fraction)::int,
           -- The working day before the due day: Friday for a Monday (or a Sunday) due day.
           due_day - CASE extract(isodow FROM due_day)::int WHEN 1 THEN 3 WHEN 7 THEN 2 ELSE 1 END
         ) AS warn_day
  FROM days
)
UPDATE accounts AS a
SET cadence_warn_at = (w.warn_day + w.day_start) AT TIME ZONE w.zone,
    cadence_due_at = (w.due_day + w.day_end) AT TIME ZONE w.zone,
    cadence_dark_at = (w.dark_day + w.day_end) AT TIME ZONE w.zone
FROM warn w
WHERE a.id = w.id;
