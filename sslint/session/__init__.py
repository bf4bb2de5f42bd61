"""One run: a Request in (paths, flags, settings), a Report out. Finds the inputs
and the configuration, has the workers analyse each unit, then applies ignores,
severities, inline suppressions, post-suppression rules and the baseline."""
