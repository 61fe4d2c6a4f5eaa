"""The race: per-run state, the shared per-step pieces, schedules, the timeline's replay."""
