-- Read models of one generation, derived from its fact tables. __S__ is the generation's
-- schema. Only views: every figure is computed from facts, so nothing can drift.
-- Dates of timestamps are taken in Asia/Jakarta (WIB) so months do not depend on the
-- session's time zone.

CREATE VIEW __S__.certificates AS
SELECT f.certificate_number,
       COALESCE(f.nip, f.r_nip, f.x_nip) AS nip,
       f.officer_name,
       COALESCE(f.kejuruan, f.r_kejuruan, f.x_kejuruan) AS kejuruan,
       f.lapas_code,
       COALESCE(lu.name, f.lapas_name) AS lapas_name,
       COALESCE(lu.province, f.lapas_province) AS province,
       f.blk_code,
       COALESCE(bu.name, f.blk_name) AS blk_name,
       COALESCE(bu.province, f.blk_province) AS blk_province,
       f.enrollment_id,
       f.package_id,
       f.issued_on,
       f.expires_on,
       f.revoked_on,
       f.revoke_reason,
       f.expired_on,
       CASE WHEN f.revoked_on IS NOT NULL THEN 'REVOKED'
            WHEN f.expired_on IS NOT NULL OR f.expires_on < current_date THEN 'EXPIRED'
            ELSE 'ACTIVE' END AS status,
       extract(year FROM COALESCE(e.start_date, p.start_date, f.issued_on))::int AS year
FROM __S__.certificate_f f
LEFT JOIN __S__.unit_f lu ON lu.code = f.lapas_code
LEFT JOIN __S__.unit_f bu ON bu.code = f.blk_code
LEFT JOIN __S__.enrollment_f e ON e.enrollment_id = f.enrollment_id
LEFT JOIN __S__.package_f p ON p.package_id = f.package_id
-- A revocation or expiry that arrived before its certificate shows once the certificate does.
WHERE f.certified_event_time IS NOT NULL;

-- One row per enrollment with its whole path: completion, K/BK per test, certificate.
CREATE VIEW __S__.enrollment_status AS
WITH a AS (
    SELECT enrollment_id,
           bool_or(kind = 'TECHNICAL' AND result = 'K') AS tech_k,
           bool_or(kind = 'TECHNICAL') AS tech_any,
           bool_or(kind = 'METHODOLOGY' AND result = 'K') AS meth_k,
           bool_or(kind = 'METHODOLOGY') AS meth_any
    FROM __S__.assessment_f
    GROUP BY enrollment_id
), c AS (
    SELECT DISTINCT ON (enrollment_id) enrollment_id, certificate_number, issued_on, status
    FROM __S__.certificates
    WHERE enrollment_id IS NOT NULL
    ORDER BY enrollment_id, issued_on DESC, certificate_number
), base AS (
    SELECT e.*,
           COALESCE(e.package_id, e.c_package_id, e.w_package_id) AS pkg,
           COALESCE(e.lapas_code, e.c_lapas_code) AS lapas,
           COALESCE(e.blk_code, e.c_blk_code) AS blk
    FROM __S__.enrollment_f e
)
SELECT b.enrollment_id,
       COALESCE(b.nip, b.c_nip, b.w_nip) AS nip,
       b.officer_name,
       b.pkg AS package_id,
       COALESCE(b.package_code, p.code) AS package_code,
       p.title AS package_title,
       b.lapas AS lapas_code,
       COALESCE(lu.name, b.lapas_name) AS lapas_name,
       COALESCE(lu.province, b.lapas_province) AS province,
       COALESCE(b.blk, p.blk_code) AS blk_code,
       COALESCE(bu.name, b.blk_name, p.blk_name) AS blk_name,
       COALESCE(bu.province, b.blk_province, p.blk_province) AS blk_province,
       COALESCE(b.kejuruan, b.c_kejuruan, p.kejuruan) AS kejuruan,
       COALESCE(b.track, b.c_track, p.track) AS track,
       extract(year FROM COALESCE(b.start_date, p.start_date, b.completed_on))::int AS year,
       b.enrolled_at,
       b.enrolled_on,
       b.withdrawn_at,
       b.withdrawn_at IS NOT NULL AS withdrawn,
       b.completed_on,
       b.completed_on IS NOT NULL AS completed,
       b.attended_jp,
       CASE WHEN a.tech_k THEN 'K' WHEN a.tech_any THEN 'BK' END AS technical,
       CASE WHEN a.meth_k THEN 'K' WHEN a.meth_any THEN 'BK' END AS methodology,
       COALESCE(a.tech_k, false)
         AND (COALESCE(b.track, b.c_track, p.track, '') <> 'INSTRUCTOR'
              OR COALESCE(a.meth_k, false)) AS competent,
       c.certificate_number IS NOT NULL AS certified,
       c.certificate_number,
       c.issued_on,
       c.status AS certificate_status
FROM base b
LEFT JOIN __S__.package_f p ON p.package_id = b.pkg
LEFT JOIN __S__.unit_f lu ON lu.code = b.lapas
LEFT JOIN __S__.unit_f bu ON bu.code = COALESCE(b.blk, p.blk_code)
LEFT JOIN a ON a.enrollment_id = b.enrollment_id
LEFT JOIN c ON c.enrollment_id = b.enrollment_id;

CREATE VIEW __S__.officer_progress AS
SELECT nip, officer_name, enrollment_id, package_id, package_code, package_title,
       lapas_code, lapas_name, province, blk_code, blk_name, kejuruan, track, year,
       enrolled_at, enrolled_on, withdrawn_at, completed_on, attended_jp, technical, methodology,
       competent, certificate_number, issued_on, certificate_status
FROM __S__.enrollment_status;

CREATE VIEW __S__.packages AS
WITH en AS (
    SELECT package_id,
           count(*) FILTER (WHERE NOT withdrawn) AS enrolled,
           count(*) FILTER (WHERE withdrawn) AS withdrawn,
           count(*) FILTER (WHERE completed) AS completed,
           count(*) FILTER (WHERE technical = 'K') AS technical_k,
           count(*) FILTER (WHERE technical = 'BK') AS technical_bk,
           count(*) FILTER (WHERE methodology = 'K') AS methodology_k,
           count(*) FILTER (WHERE methodology = 'BK') AS methodology_bk,
           count(*) FILTER (WHERE competent) AS competent,
           count(*) FILTER (WHERE certified) AS certified
    FROM __S__.enrollment_status
    GROUP BY package_id
)
SELECT p.package_id, p.code, p.title, p.blk_code,
       COALESCE(u.name, p.blk_name) AS blk_name,
       COALESCE(u.province, p.blk_province) AS province,
       p.kejuruan, p.track, p.start_date, p.end_date,
       extract(year FROM p.start_date)::int AS year,
       p.seats,
       CASE WHEN p.cancelled_event_time IS NOT NULL THEN 'CANCELLED'
            WHEN p.closed_event_time IS NOT NULL THEN 'CLOSED'
            ELSE 'OPEN' END AS status,
       COALESCE(en.enrolled, 0) AS enrolled,
       COALESCE(en.withdrawn, 0) AS withdrawn,
       COALESCE(en.completed, 0) AS completed,
       COALESCE(en.technical_k, 0) AS technical_k,
       COALESCE(en.technical_bk, 0) AS technical_bk,
       COALESCE(en.methodology_k, 0) AS methodology_k,
       COALESCE(en.methodology_bk, 0) AS methodology_bk,
       COALESCE(en.competent, 0) AS competent,
       COALESCE(en.certified, 0) AS certified,
       round(COALESCE(en.enrolled, 0)::numeric / NULLIF(p.seats, 0), 4) AS fill_rate,
       round(COALESCE(en.completed, 0)::numeric / NULLIF(en.enrolled, 0), 4)
         AS completion_rate
FROM __S__.package_f p
LEFT JOIN en ON en.package_id = p.package_id
LEFT JOIN __S__.unit_f u ON u.code = p.blk_code
WHERE p.opened_event_time IS NOT NULL;

-- Per Lapas x kejuruan x programme year (year the package started).
CREATE VIEW __S__.lapas AS
WITH en AS (
    SELECT lapas_code, kejuruan, year,
           count(*) FILTER (WHERE NOT withdrawn) AS enrolled,
           count(*) FILTER (WHERE withdrawn) AS withdrawn,
           count(*) FILTER (WHERE completed) AS completed,
           count(*) FILTER (WHERE competent) AS competent,
           count(*) FILTER (WHERE certified) AS certified
    FROM __S__.enrollment_status
    GROUP BY 1, 2, 3
), ins AS (
    SELECT lapas_code, kejuruan, year,
           count(*) FILTER (WHERE status = 'ACTIVE') AS instructors_active,
           count(*) FILTER (WHERE status = 'EXPIRED') AS instructors_expired,
           count(*) FILTER (WHERE status = 'REVOKED') AS instructors_revoked
    FROM __S__.certificates
    GROUP BY 1, 2, 3
)
SELECT k.lapas_code, u.name AS lapas_name, u.province, k.kejuruan, k.year,
       COALESCE(en.enrolled, 0) AS enrolled,
       COALESCE(en.withdrawn, 0) AS withdrawn,
       COALESCE(en.completed, 0) AS completed,
       COALESCE(en.competent, 0) AS competent,
       COALESCE(en.certified, 0) AS certified,
       COALESCE(ins.instructors_active, 0) AS instructors_active,
       COALESCE(ins.instructors_expired, 0) AS instructors_expired,
       COALESCE(ins.instructors_revoked, 0) AS instructors_revoked
FROM (SELECT lapas_code, kejuruan, year FROM en
      UNION SELECT lapas_code, kejuruan, year FROM ins) k
LEFT JOIN en ON en.lapas_code IS NOT DISTINCT FROM k.lapas_code
            AND en.kejuruan IS NOT DISTINCT FROM k.kejuruan
            AND en.year IS NOT DISTINCT FROM k.year
LEFT JOIN ins ON ins.lapas_code IS NOT DISTINCT FROM k.lapas_code
             AND ins.kejuruan IS NOT DISTINCT FROM k.kejuruan
             AND ins.year IS NOT DISTINCT FROM k.year
LEFT JOIN __S__.unit_f u ON u.code = k.lapas_code;

-- Per province of the Lapas (Kanwil Ditjenpas) x kejuruan x year.
CREATE VIEW __S__.provinces AS
SELECT province, kejuruan, year,
       count(DISTINCT lapas_code) AS lapas,
       sum(enrolled)::bigint AS enrolled,
       sum(withdrawn)::bigint AS withdrawn,
       sum(completed)::bigint AS completed,
       sum(competent)::bigint AS competent,
       sum(certified)::bigint AS certified,
       sum(instructors_active)::bigint AS instructors_active,
       sum(instructors_expired)::bigint AS instructors_expired,
       sum(instructors_revoked)::bigint AS instructors_revoked
FROM __S__.lapas
GROUP BY 1, 2, 3;

-- Per BLK x kejuruan x programme year.
CREATE VIEW __S__.blk AS
WITH pk AS (
    SELECT blk_code, kejuruan, extract(year FROM start_date)::int AS year,
           count(*) FILTER (WHERE cancelled_event_time IS NULL) AS packages,
           COALESCE(sum(seats) FILTER (WHERE cancelled_event_time IS NULL), 0) AS seats
    FROM __S__.package_f
    WHERE opened_event_time IS NOT NULL
    GROUP BY 1, 2, 3
), en AS (
    SELECT blk_code, kejuruan, year,
           count(*) FILTER (WHERE NOT withdrawn) AS enrolled,
           count(*) FILTER (WHERE withdrawn) AS withdrawn,
           count(*) FILTER (WHERE completed) AS completed,
           count(*) FILTER (WHERE technical IS NOT NULL) AS assessed,
           count(*) FILTER (WHERE competent) AS competent,
           count(*) FILTER (WHERE certified) AS certified
    FROM __S__.enrollment_status
    GROUP BY 1, 2, 3
)
SELECT k.blk_code, u.name AS blk_name, u.province, k.kejuruan, k.year,
       COALESCE(pk.packages, 0) AS packages,
       COALESCE(pk.seats, 0)::bigint AS seats,
       COALESCE(en.enrolled, 0) AS enrolled,
       COALESCE(en.withdrawn, 0) AS withdrawn,
       COALESCE(en.completed, 0) AS completed,
       COALESCE(en.assessed, 0) AS assessed,
       COALESCE(en.competent, 0) AS competent,
       COALESCE(en.certified, 0) AS certified
FROM (SELECT blk_code, kejuruan, year FROM pk
      UNION SELECT blk_code, kejuruan, year FROM en) k
LEFT JOIN pk ON pk.blk_code IS NOT DISTINCT FROM k.blk_code
            AND pk.kejuruan IS NOT DISTINCT FROM k.kejuruan
            AND pk.year IS NOT DISTINCT FROM k.year
LEFT JOIN en ON en.blk_code IS NOT DISTINCT FROM k.blk_code
            AND en.kejuruan IS NOT DISTINCT FROM k.kejuruan
            AND en.year IS NOT DISTINCT FROM k.year
LEFT JOIN __S__.unit_f u ON u.code = k.blk_code;

-- Days from enrollment to certificate, per kejuruan and overall ('ALL').
CREATE VIEW __S__.time_to_certification AS
SELECT COALESCE(d.kejuruan, 'ALL') AS kejuruan,
       count(d.days) AS certified,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY d.days) AS median_days,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY d.days) AS p90_days
FROM (
    SELECT f.kejuruan,
           f.issued_on - e.enrolled_on AS days
    FROM __S__.certificate_f f
    JOIN __S__.enrollment_f e ON e.enrollment_id = f.enrollment_id
    WHERE f.certified_event_time IS NOT NULL AND e.enrolled_on IS NOT NULL
) d
GROUP BY ROLLUP (d.kejuruan);

-- The national figures and the monthly trend, for one slice or for everything (NULLs).
-- Distinct counts and percentiles cannot be summed from finer rows, so these are functions
-- the query API calls with the filters; the views are the unfiltered answers.
-- Enrollments, officers and instructors are sliced by the Lapas's province (as in the
-- lapas and provinces models), packages and seats by the BLK's (as in the blk model);
-- kejuruan and programme year slice them all.
CREATE FUNCTION __S__.national_where(p_province text, p_kejuruan text, p_year integer)
RETURNS TABLE (
    lapas bigint, blk bigint, packages bigint, seats bigint, officers bigint,
    enrolled bigint, withdrawn bigint, completed bigint, competent bigint,
    certified bigint, instructors_active bigint, instructors_expired bigint,
    instructors_revoked bigint, median_days_to_certification double precision,
    p90_days_to_certification double precision
) LANGUAGE sql STABLE AS $$
WITH es AS (
    SELECT count(*) FILTER (WHERE NOT withdrawn) AS enrolled,
           count(*) FILTER (WHERE withdrawn) AS withdrawn,
           count(*) FILTER (WHERE completed) AS completed,
           count(*) FILTER (WHERE competent) AS competent,
           count(*) FILTER (WHERE certified) AS certified,
           count(DISTINCT nip) AS officers,
           count(DISTINCT lapas_code) AS lapas
    FROM __S__.enrollment_status
    WHERE (p_province IS NULL OR province = p_province)
      AND (p_kejuruan IS NULL OR kejuruan = p_kejuruan)
      AND (p_year IS NULL OR year = p_year)
), pk AS (
    SELECT count(*) FILTER (WHERE p.cancelled_event_time IS NULL) AS packages,
           COALESCE(sum(p.seats) FILTER (WHERE p.cancelled_event_time IS NULL), 0)::bigint
             AS seats,
           count(DISTINCT p.blk_code) AS blk
    FROM __S__.package_f p
    LEFT JOIN __S__.unit_f u ON u.code = p.blk_code
    WHERE p.opened_event_time IS NOT NULL
      AND (p_province IS NULL OR COALESCE(u.province, p.blk_province) = p_province)
      AND (p_kejuruan IS NULL OR p.kejuruan = p_kejuruan)
      AND (p_year IS NULL OR extract(year FROM p.start_date)::int = p_year)
), c AS (
    SELECT * FROM __S__.certificates
    WHERE (p_province IS NULL OR province = p_province)
      AND (p_kejuruan IS NULL OR kejuruan = p_kejuruan)
      AND (p_year IS NULL OR year = p_year)
), ins AS (
    SELECT count(*) FILTER (WHERE status = 'ACTIVE') AS instructors_active,
           count(*) FILTER (WHERE status = 'EXPIRED') AS instructors_expired,
           count(*) FILTER (WHERE status = 'REVOKED') AS instructors_revoked
    FROM c
), ttc AS (
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY c.issued_on - e.enrolled_on)
             AS median_days,
           percentile_cont(0.9) WITHIN GROUP (ORDER BY c.issued_on - e.enrolled_on)
             AS p90_days
    FROM c
    JOIN __S__.enrollment_f e ON e.enrollment_id = c.enrollment_id
    WHERE e.enrolled_on IS NOT NULL
)
SELECT es.lapas, pk.blk, pk.packages, pk.seats, es.officers,
       es.enrolled, es.withdrawn, es.completed, es.competent, es.certified,
       ins.instructors_active, ins.instructors_expired, ins.instructors_revoked,
       ttc.median_days, ttc.p90_days
FROM es, pk, ins, ttc
$$;

CREATE VIEW __S__.national AS
SELECT * FROM __S__.national_where(NULL, NULL, NULL);

-- Revocations and expiries count once their certificate is known, as everywhere else.
CREATE FUNCTION __S__.trend_where(p_province text, p_kejuruan text, p_year integer)
RETURNS TABLE (
    month date, enrolled bigint, withdrawn bigint, completed bigint,
    certified bigint, revoked bigint, expired bigint
) LANGUAGE sql STABLE AS $$
WITH es AS (
    SELECT enrolled_on, withdrawn_at, completed_on
    FROM __S__.enrollment_status
    WHERE (p_province IS NULL OR province = p_province)
      AND (p_kejuruan IS NULL OR kejuruan = p_kejuruan)
      AND (p_year IS NULL OR year = p_year)
), c AS (
    SELECT issued_on, revoked_on, expired_on
    FROM __S__.certificates
    WHERE (p_province IS NULL OR province = p_province)
      AND (p_kejuruan IS NULL OR kejuruan = p_kejuruan)
      AND (p_year IS NULL OR year = p_year)
)
SELECT month,
       count(*) FILTER (WHERE what = 'enrolled'),
       count(*) FILTER (WHERE what = 'withdrawn'),
       count(*) FILTER (WHERE what = 'completed'),
       count(*) FILTER (WHERE what = 'certified'),
       count(*) FILTER (WHERE what = 'revoked'),
       count(*) FILTER (WHERE what = 'expired')
FROM (
    SELECT date_trunc('month', enrolled_on)::date AS month, 'enrolled' AS what
    FROM es WHERE enrolled_on IS NOT NULL
    UNION ALL
    SELECT date_trunc('month', withdrawn_at AT TIME ZONE 'Asia/Jakarta')::date, 'withdrawn'
    FROM es WHERE withdrawn_at IS NOT NULL
    UNION ALL
    SELECT date_trunc('month', completed_on)::date, 'completed'
    FROM es WHERE completed_on IS NOT NULL
    UNION ALL
    SELECT date_trunc('month', issued_on)::date, 'certified' FROM c
    UNION ALL
    SELECT date_trunc('month', revoked_on)::date, 'revoked'
    FROM c WHERE revoked_on IS NOT NULL
    UNION ALL
    SELECT date_trunc('month', expired_on)::date, 'expired'
    FROM c WHERE expired_on IS NOT NULL
) x
GROUP BY month
$$;

CREATE VIEW __S__.trend AS
SELECT * FROM __S__.trend_where(NULL, NULL, NULL);

CREATE VIEW __S__.agreements AS
SELECT a.agreement_id, a.number, a.lapas_code,
       COALESCE(lu.name, a.lapas_name) AS lapas_name,
       COALESCE(lu.province, a.lapas_province) AS province,
       a.blk_code, COALESCE(bu.name, a.blk_name) AS blk_name,
       a.kejuruan_list, a.valid_from, a.valid_until, a.terminated_on,
       CASE WHEN a.terminated_event_time IS NOT NULL THEN 'TERMINATED'
            WHEN a.valid_until < current_date THEN 'EXPIRED'
            WHEN a.valid_from > current_date THEN 'PENDING'
            ELSE 'ACTIVE' END AS status
FROM __S__.agreement_f a
LEFT JOIN __S__.unit_f lu ON lu.code = a.lapas_code
LEFT JOIN __S__.unit_f bu ON bu.code = a.blk_code
WHERE a.signed_event_time IS NOT NULL;

CREATE VIEW __S__.instructors AS
SELECT * FROM __S__.certificates;
