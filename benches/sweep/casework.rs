//! The casework the sweep looks at besides contacts, in proportion to the clients and none
//! of it newly due: what a steady-state sweep must pass over without reading it.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::connection::SimpleConnection;
use inbeeld::db::{Db, DbError};

use super::sql_time;

/// The casework in proportion to the clients, none of it due (the steady state): half registered, expiring 31 days to two years ahead; a
/// third with two assessments of the last eight months, the latest within the last
/// eighty days; one in ten closed to regular care one to three years ago; one in five with
/// a referral, requested in the last month or started. Her plan and the case meetings: one
/// in four with an open action due in the coming month, one in twenty with an action past
/// due whose follow-up was closed; one in ten with a decision past due, followed up and
/// closed, one in ten with one due in the coming month. The follow-ups of the past: every
/// other client with a closed absence, one in fifty with an absence acknowledged and
/// escalated to the process director a month ago, one in fifty with an open registration
/// follow-up escalated to her coordinator.
pub fn insert(db: &Db, now: NaiveDateTime) {
    let today = now.date();
    let month_ago = sql_time(now - TimeDelta::days(30));
    db.write_blocking(move |conn| -> Result<(), DbError> {
        conn.batch_execute(&format!(
            "UPDATE clients SET registration_status = 'registered',
                 registration_expires_on = date('{today}', '+' || (31 + id % 700) || ' days')
                 WHERE id % 2 = 0;
             UPDATE clients SET caseload_status = 'closed', exit_reason = 'regular_care',
                 exit_on = date('{today}', '-' || (365 + id % 730) || ' days')
                 WHERE id % 10 = 5;
             INSERT INTO assessments (client_id, assessed_on, recorded_by, recorded_at)
                 SELECT id, date('{today}', '-' || (id % 80) || ' days'), 1, '{now}'
                 FROM clients WHERE id % 3 = 0;
             INSERT INTO assessments (client_id, assessed_on, recorded_by, recorded_at)
                 SELECT id, date('{today}', '-' || (160 + id % 80) || ' days'), 1, '{now}'
                 FROM clients WHERE id % 3 = 0;
             INSERT INTO referrals (team_id, client_id, kind, requested_on, started_on, created_by, created_at, updated_at)
                 SELECT 1, id, 'housing_application', date('{today}', '-' || (id % 30) || ' days'),
                     CASE WHEN id % 10 = 0 THEN date('{today}', '-1 days') END, 1, '{now}', '{now}'
                 FROM clients WHERE id % 5 = 0;
             UPDATE clients SET review_due_on = date('{today}', '-' || (id % 80) || ' days', '+3 months')
                 WHERE id % 3 = 0 AND caseload_status <> 'closed';",
            now = sql_time(now)
        ))?;
        conn.batch_execute(&format!(
            "INSERT INTO plan_goals (id, client_id, body, domains, status, set_on, created_by, created_at, updated_at)
                 SELECT id, id, 'Doel', 'housing', 'open', '{today}', 1, '{now}', '{now}'
                 FROM clients WHERE id % 4 = 0 OR id % 20 = 2;
             INSERT INTO plan_actions (goal_id, client_id, what, owner_id, due_on, status, created_by, created_at, updated_at)
                 SELECT id, id, 'Actie', 1, date('{today}', '+' || (1 + id % 30) || ' days'), 'open', 1, '{now}', '{now}'
                 FROM clients WHERE id % 4 = 0;
             INSERT INTO plan_actions (goal_id, client_id, what, owner_id, due_on, status, created_by, created_at, updated_at)
                 SELECT id, id, 'Actie', 1, date('{today}', '-' || (5 + id % 30) || ' days'), 'open', 1, '{now}', '{now}'
                 FROM clients WHERE id % 20 = 2;
             INSERT INTO followups (team_id, client_id, kind, dedupe_key, due_at, status, created_at, notified_at, closed_by, closed_at, owner_id)
                 SELECT 1, client_id, 'plan_action', 'plan_action:' || client_id || ':' || id || ':' || due_on,
                     '{month_ago}', 'closed', '{month_ago}', '{month_ago}', 1, '{month_ago}', 1
                 FROM plan_actions WHERE due_on < '{today}';
             INSERT INTO case_meetings (id, team_id, starts_at, location, created_by, created_at)
                 VALUES (1, 1, '{month_ago}', 'Kantoor', 1, '{month_ago}');
             INSERT INTO case_meeting_items (id, meeting_id, ordinal, reason, client_id, title, created_at, updated_at)
                 SELECT id, 1, id, 'client', id, 'Bespreking', '{month_ago}', '{month_ago}'
                 FROM clients WHERE id % 10 IN (0, 1);
             INSERT INTO case_meeting_decisions (item_id, client_id, what, owner_id, due_on, created_by, created_at)
                 SELECT id, id, 'Besluit', 1,
                     CASE WHEN id % 10 = 0 THEN date('{today}', '-' || (1 + id % 20) || ' days')
                          ELSE date('{today}', '+' || (1 + id % 30) || ' days') END,
                     1, '{month_ago}'
                 FROM clients WHERE id % 10 IN (0, 1);
             INSERT INTO followups (team_id, client_id, kind, dedupe_key, due_at, status, created_at, notified_at, closed_by, closed_at, owner_id)
                 SELECT 1, client_id, 'meeting_decision', 'meeting_decision:' || client_id || ':' || id,
                     '{month_ago}', 'closed', '{month_ago}', '{month_ago}', 1, '{month_ago}', 1
                 FROM case_meeting_decisions WHERE due_on < '{today}';
             INSERT INTO followups (team_id, client_id, kind, dedupe_key, absent_since, due_at, status, created_at, notified_at, closed_by, closed_at, outcome)
                 SELECT 1, id, 'absence', 'absence:' || id || ':past', '{month_ago}', '{month_ago}', 'closed',
                     '{month_ago}', '{month_ago}', 1, '{month_ago}', 'seen'
                 FROM clients WHERE id % 2 = 1;
             INSERT INTO followups (team_id, client_id, kind, dedupe_key, absent_since, due_at, status, escalation_level, created_at, notified_at, acknowledged_by, acknowledged_at)
                 SELECT 1, id, 'absence', 'absence:' || id || ':long', '{month_ago}', '{month_ago}', 'acknowledged', 2,
                     '{month_ago}', '{month_ago}', 1, '{month_ago}'
                 FROM clients WHERE id % 50 = 1;
             INSERT INTO followups (team_id, client_id, kind, dedupe_key, due_at, status, escalation_level, created_at, notified_at)
                 SELECT 1, id, 'registration_expiry', 'registration_expiry:' || id || ':' || registration_expires_on,
                     '{month_ago}', 'open', 1, '{month_ago}', '{month_ago}'
                 FROM clients WHERE id % 50 = 2;",
            now = sql_time(now)
        ))?;
        Ok(())
    })
    .unwrap();
}
