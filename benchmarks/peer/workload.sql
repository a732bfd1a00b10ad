-- The shared workload W1–W6 of issue 8 in DuckDB SQL, run by `peer duckdb`
-- statement by statement, in this order. Each statement starts with a line
-- "-- step: NAME"; steps named W… are timed as that workload, the helper
-- steps (order, stays) count towards the workload after them. {{file}} is
-- replaced by the CSV path as an SQL string literal, {{waiting}} by the
-- departments of the telephony waiting stages as string literals (the VRU
-- and queue of call records: eventlog.CallVRUDepartment and
-- CallQueueDepartment).
--
-- The definitions are caseflow's (docs/definitions.md): events are ordered
-- within a case by (timestamp, file order); a stay is a maximal run of a
-- case's events in one department, where events without a department belong
-- to no stay and do not break one; a handoff goes from one stay to the next;
-- a direct ping-pong is a position i of the stays with s[i] = s[i+2] ≠
-- s[i+1], attributed to the unordered pair {s[i], s[i+1]}, unless it is the
-- case's closing return: s[i+2] is its last stay and its front office (its
-- first unit that is not a telephony waiting stage), counted apart and in
-- none of the ping-pong figures; the lead time runs from a case's first to
-- its last event, and its quantiles interpolate linearly (Hyndman & Fan
-- 1996, definition 7: quantile_cont). Lists are ordered as caseflow orders
-- them: names by bytes (DuckDB's default collation), variants tied on count
-- by their first case in the file.

-- step: W1
-- Load the CSV with typed columns. Insertion order is preserved (DuckDB's
-- default), so rowid is the 0-based data row: the file order.
CREATE TABLE ev AS
SELECT * FROM read_csv({{file}},
    header = true, delim = ',', quote = '"', escape = '"', auto_detect = false,
    columns = {
        'case_id': 'VARCHAR', 'customer_id': 'VARCHAR', 'channel': 'VARCHAR',
        'contact_reason': 'VARCHAR', 'activity': 'VARCHAR', 'department': 'VARCHAR',
        'agent': 'VARCHAR', 'timestamp': 'TIMESTAMPTZ'
    });

-- step: order
-- Every event's position in its case, ordered by (timestamp, file order).
CREATE TEMP TABLE seq AS
SELECT case_id, activity, department, "timestamp" AS ts, rowid AS file_row,
       row_number() OVER (PARTITION BY case_id ORDER BY "timestamp", rowid) AS pos
FROM ev;

-- step: W2
-- Directly-follows counts: every edge, by count descending, then names.
SELECT activity AS "from", nxt AS "to", count(*) AS n
FROM (SELECT activity, lead(activity) OVER (PARTITION BY case_id ORDER BY pos) AS nxt FROM seq)
WHERE nxt IS NOT NULL
GROUP BY ALL
ORDER BY n DESC, "from", "to";

-- step: stays
-- The first event of every stay: events without a department dropped, then
-- consecutive events in the same department collapsed.
CREATE TEMP TABLE stays AS
SELECT case_id, pos, department AS unit
FROM (SELECT case_id, pos, department,
             lag(department) OVER (PARTITION BY case_id ORDER BY pos) AS prev
      FROM seq WHERE department IS NOT NULL)
WHERE prev IS DISTINCT FROM department;

-- step: W3
-- Handoffs between consecutive stays: every directed pair, by count
-- descending, then names.
SELECT prev AS "from", unit AS "to", count(*) AS n
FROM (SELECT unit, lag(unit) OVER (PARTITION BY case_id ORDER BY pos) AS prev FROM stays)
WHERE prev IS NOT NULL
GROUP BY ALL
ORDER BY n DESC, "from", "to";

-- step: W4
-- Direct ping-pong: the totals first (a and b NULL: the occurrences, the
-- cases with at least one, and the closing returns), then every unordered
-- pair with an occurrence by occurrences, cases, names. Consecutive stays
-- differ, so s[i] = s[i+2] implies ≠ s[i+1]. An occurrence is a closing
-- return when no stay follows s[i+2] (stays have a unit, so lead 3 is NULL
-- only past the last) and s[i+2] is the case's first unit outside the
-- waiting stages (front: NULL when it has none, and then no closing
-- return, hence IS NOT DISTINCT FROM rather than =). s[i] = s[i+2] comes
-- before s[i+2], so whether the front office is looked for before s[i+2]
-- or in the whole case makes no difference. A case has at most one
-- closing return.
WITH occ AS (
    SELECT case_id, least(unit, u1) AS a, greatest(unit, u1) AS b,
           u3 IS NULL AND unit IS NOT DISTINCT FROM front AS closing
    FROM (SELECT case_id, unit,
                 lead(unit, 1) OVER w AS u1,
                 lead(unit, 2) OVER w AS u2,
                 lead(unit, 3) OVER w AS u3,
                 first_value(CASE WHEN unit NOT IN ({{waiting}}) THEN unit END IGNORE NULLS)
                     OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS front
          FROM stays
          WINDOW w AS (PARTITION BY case_id ORDER BY pos))
    WHERE u2 = unit)
SELECT a, b, count(*) FILTER (WHERE NOT closing) AS occurrences,
       count(DISTINCT case_id) FILTER (WHERE NOT closing) AS cases,
       count(*) FILTER (WHERE closing) AS closing
FROM occ
GROUP BY GROUPING SETS ((a, b), ())
HAVING grouping(a) = 1 OR occurrences > 0
ORDER BY grouping(a) DESC, occurrences DESC, cases DESC, a, b;

-- step: W5
-- Lead time from first to last event, in microseconds: cases, median, P90,
-- P95, P99 and the cases above P95. Returns one row, also for an empty log.
WITH lt AS (
    SELECT epoch_us(max("timestamp")) - epoch_us(min("timestamp")) AS us
    FROM ev GROUP BY case_id),
q AS (SELECT count(*) AS n, quantile_cont(us, [0.5, 0.9, 0.95, 0.99]) AS p FROM lt)
SELECT n, p[1], p[2], p[3], p[4], (SELECT count(*) FROM lt WHERE us > q.p[3]) AS above
FROM q;

-- step: W6
-- Activity variants: the top 10 by cases, ties by their first case in the
-- file, each row with the number of distinct variants. The steps are joined
-- with the unit separator U+001F, which activity names do not contain; it
-- groups about 20 % faster than list().
WITH v AS (
    SELECT string_agg(activity, chr(31) ORDER BY pos) AS steps, min(file_row) AS first
    FROM seq GROUP BY case_id),
g AS (SELECT steps, count(*) AS n, min(first) AS first FROM v GROUP BY steps)
SELECT steps, n, count(*) OVER () AS variants
FROM g
ORDER BY n DESC, first
LIMIT 10;
