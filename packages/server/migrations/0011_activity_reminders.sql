-- Planned calls and meetings carry a reminder: their owner and internal participants hear this many minutes before the
-- start. The reminders themselves are `reminder` rows with `activity_id` (one per person), fired by the due-timer loop.
ALTER TABLE activity ADD COLUMN reminder_minutes integer CHECK (reminder_minutes BETWEEN 0 AND 525600);
