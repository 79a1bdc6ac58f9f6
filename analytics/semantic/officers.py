"""Who the enforcement officers of a period are, with their unit, study hours and attendance.

Decided once here: the roster (a year's own roster before an undated one, unit by unit and person by
person: an undated roster's row counts for a year unless the town's roster of that year lists the same
unit (单位, blank matching blank) or the same name, so one unit's dated roster does not hide another
unit's undated one; namesakes with different certificates or units stay two officers, the load
warned of them); a town without a roster falls
back to attendance rows marked as enforcement staff. Where a town's training rows of the period are
sessions with a head count only, its officers' hours and training are unknown (NULL), not 0. Stored for the warehouse's years in
``agg_officers`` (``aggregates.refresh``); ``metrics.officer_rows`` falls back to this query for
periods outside the stored span. It reads the views and the training aggregate only, so the
aggregates can build from it without importing the metrics.
"""

from __future__ import annotations

from analytics.semantic.sql import Query

STAFF: tuple[tuple[str, str], ...] = (
    ("roster", """
    SELECT p.period_id, s.town, s.name, max(s.cert_valid_until) AS cert_valid_until, true AS from_roster
    FROM {periods} JOIN v_staff s ON s.roster_year IS NULL OR s.roster_year = year(p.start_d)
    WHERE s.is_enforcement AND s.on_duty AND ($town IS NULL OR s.town = $town)
      AND (s.roster_year IS NOT NULL OR NOT EXISTS (
        SELECT 1 FROM v_staff y WHERE y.town = s.town AND y.roster_year = year(p.start_d)
          AND (coalesce(y.unit, '') = coalesce(s.unit, '') OR y.name = s.name)))
    GROUP BY p.period_id, s.town, s.name, coalesce(s.cert_no, s.unit, ''), s.roster_year IS NULL"""),
    ("attended", """
    SELECT pm.period_id, t.town, t.name, sum(t.hours) AS hours, bool_or(t.marked_enforcement) AS marked_enforcement
    FROM {period_quarters} JOIN {agg_training} t ON t.quarter = pm.month
    WHERE $town IS NULL OR t.town = $town
    GROUP BY ALL"""),
    # A town whose training rows of the period are all sessions with a head count (参训人数, no names):
    # who of its officers attended can't be told, so their training and hours are unknown, not 0.
    ("counted_only", """
    SELECT DISTINCT p.period_id, t.town
    FROM {periods} JOIN v_training t ON t.session_date >= p.start_d AND t.session_date < p.end_d
    WHERE t.name IS NULL AND t.attendees IS NOT NULL AND ($town IS NULL OR t.town = $town)
      AND NOT EXISTS (SELECT 1 FROM attended a WHERE a.period_id = p.period_id AND a.town = t.town)"""),
    ("officers", """
    SELECT period_id, town, name, cert_valid_until, from_roster FROM roster
    UNION ALL
    SELECT a.period_id, a.town, a.name, NULL, false FROM attended a
    WHERE a.marked_enforcement
      AND NOT EXISTS (SELECT 1 FROM roster r WHERE r.period_id = a.period_id AND r.town = a.town)"""),
)  # fmt: skip

OFFICER_ROWS = Query(
    (
        *STAFF,
        ("unit_of", """
    SELECT town, name, any_value(unit ORDER BY roster_year DESC NULLS LAST) AS unit
    FROM v_staff WHERE $town IS NULL OR town = $town GROUP BY ALL"""),
    ),
    """
SELECT o.period_id, o.town, o.name, u.unit, o.from_roster, o.cert_valid_until,
       CASE WHEN c.town IS NULL THEN coalesce(a.hours, 0) END AS hours,
       CASE WHEN c.town IS NULL THEN a.name IS NOT NULL END AS trained
FROM officers o
LEFT JOIN attended a USING (period_id, town, name)
LEFT JOIN unit_of u USING (town, name)
LEFT JOIN counted_only c USING (period_id, town)""",
)  # fmt: skip
OFFICER_ROWS_SQL = OFFICER_ROWS.text()
