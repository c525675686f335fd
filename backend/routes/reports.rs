//! The team's figures for a period: contacts (named and anonymous), unique clients, inflow,
//! outflow, shifts held and visitors per shift; as JSON, CSV, and contacts per week. The
//! municipality sees the city's totals with every figure below 5 shown as "<5".

use std::collections::BTreeMap;

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use chrono::{Datelike, NaiveDate, TimeDelta, Weekday};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::Identity;
use crate::db::queries::reports::{self, Figures, Scope};
use crate::domain::role::Role;
use crate::error::ApiError;
use crate::http::ErrorBody;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(figures_json)
        .service(report_csv)
        .service(weekly)
        .service(weekly_csv);
}

/// Figures under this are shown to the municipality as "<5": small groups can be re-identified.
const SMALL: i64 = 5;
const MAX_DAYS: i64 = 3 * 366;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// First day of a custom period (with `to`).
    from: Option<NaiveDate>,
    /// Last day of a custom period, inclusive.
    to: Option<NaiveDate>,
    /// A calendar year, e.g. 2022.
    year: Option<i32>,
    /// A month, `YYYY-MM`.
    month: Option<String>,
    /// An ISO week, `YYYY-Www` (e.g. `2026-W48`).
    week: Option<String>,
    /// Only this location (inflow and outflow are about clients and stay team-wide).
    location_id: Option<i64>,
}

fn bad_period() -> ApiError {
    ApiError::invalid(
        "bad_period",
        "Give one period: from and to, year, month (YYYY-MM) or week (YYYY-Www); at most three years.",
    )
}

impl Period {
    /// The first and last local day.
    fn days(&self) -> Result<(NaiveDate, NaiveDate), ApiError> {
        let (first, last) = match (
            self.from,
            self.to,
            self.year,
            self.month.as_deref(),
            self.week.as_deref(),
        ) {
            (Some(from), Some(to), None, None, None) => (from, to),
            (None, None, Some(year), None, None) => (
                NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(bad_period)?,
                NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(bad_period)?,
            ),
            (None, None, None, Some(month), None) => {
                let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
                    .map_err(|_| bad_period())?;
                let next = first
                    .checked_add_months(chrono::Months::new(1))
                    .ok_or_else(bad_period)?;
                (first, next - TimeDelta::days(1))
            }
            (None, None, None, None, Some(week)) => {
                let (year, number) = week.split_once("-W").ok_or_else(bad_period)?;
                let year: i32 = year.parse().map_err(|_| bad_period())?;
                let number: u32 = number.parse().map_err(|_| bad_period())?;
                let monday = NaiveDate::from_isoywd_opt(year, number, Weekday::Mon)
                    .ok_or_else(bad_period)?;
                (monday, monday + TimeDelta::days(6))
            }
            _ => return Err(bad_period()),
        };
        if last < first || (last - first).num_days() > MAX_DAYS {
            return Err(bad_period());
        }
        Ok((first, last))
    }
}

/// The caller's view: a coordinator her team's exact figures, the municipality the city's
/// with small numbers suppressed.
fn audience(who: &Identity) -> Result<(Option<i64>, bool), ApiError> {
    match who.role {
        Role::Coordinator => Ok((Some(who.team()?), false)),
        Role::Municipality => Ok((None, true)),
        _ => Err(ApiError::Forbidden(
            "Reports are for the coordinator and the municipality.",
        )),
    }
}

fn figure(value: i64, suppress: bool) -> Value {
    if suppress && value < SMALL {
        json!("<5")
    } else {
        json!(value)
    }
}

#[derive(Serialize, ToSchema)]
pub struct Report {
    from: NaiveDate,
    to: NaiveDate,
    location_id: Option<i64>,
    /// Each figure is a number, or "<5" for the municipality when it is below 5.
    #[schema(value_type = Object)]
    figures: BTreeMap<&'static str, Value>,
}

async fn compute(state: &AppState, who: &Identity, period: &Period) -> Result<Report, ApiError> {
    let (team, suppress) = audience(who)?;
    let (first, last) = period.days()?;
    let scope = Scope {
        team,
        location: period.location_id,
        from: state.zone.start_of_day(first),
        to: state.zone.start_of_day(last + TimeDelta::days(1)),
        first_day: first,
        last_day: last,
    };
    let figures: Figures = state
        .db
        .run(move |conn| Ok::<_, ApiError>(reports::figures(conn, &scope)?))
        .await?;
    let contacts = figures.contacts_named + figures.contacts_anonymous;
    let average = if figures.shifts_held == 0 {
        0.0
    } else {
        figures.visitors_at_shifts as f64 / figures.shifts_held as f64
    };
    let rounded = (average * 10.0).round() / 10.0;
    let average = if suppress && average < SMALL as f64 {
        json!("<5")
    } else {
        json!(rounded)
    };
    Ok(Report {
        from: first,
        to: last,
        location_id: period.location_id,
        figures: BTreeMap::from([
            ("contacts", figure(contacts, suppress)),
            ("contacts_named", figure(figures.contacts_named, suppress)),
            (
                "contacts_anonymous",
                figure(figures.contacts_anonymous, suppress),
            ),
            ("unique_clients", figure(figures.unique_clients, suppress)),
            ("new_clients", figure(figures.new_clients, suppress)),
            ("clients_left", figure(figures.clients_left, suppress)),
            ("shifts_held", figure(figures.shifts_held, suppress)),
            ("average_visitors_per_shift", average),
        ]),
    })
}

/// The figures for a period (coordinator: her team; municipality: the city, small numbers
/// suppressed).
#[utoipa::path(
    tag = "reports",
    params(Period),
    responses((status = 200, body = Report), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/reports")]
async fn figures_json(
    state: web::Data<AppState>,
    who: Identity,
    period: web::Query<Period>,
) -> Result<web::Json<Report>, ApiError> {
    compute(&state, &who, &period).await.map(web::Json)
}

/// The same figures as CSV (`figure,value`).
#[utoipa::path(
    tag = "reports",
    params(Period),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/reports/figures.csv")]
async fn report_csv(
    state: web::Data<AppState>,
    who: Identity,
    period: web::Query<Period>,
) -> Result<HttpResponse, ApiError> {
    let report = compute(&state, &who, &period).await?;
    let mut csv = String::from("figure,value\n");
    csv.push_str(&format!("from,{}\nto,{}\n", report.from, report.to));
    for (name, value) in &report.figures {
        let value = value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_owned);
        csv.push_str(&format!("{name},{value}\n"));
    }
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"inbeeld-{}-{}.csv\"",
                report.from, report.to
            ),
        ))
        .body(csv))
}

#[derive(Serialize, ToSchema)]
pub struct WeekBar {
    /// The Monday the week starts on.
    week_start: NaiveDate,
    /// Contacts (named plus anonymous visitors); "<5" for the municipality when below 5.
    #[schema(value_type = Object)]
    contacts: Value,
}

/// Contacts per week, for the bar chart.
#[utoipa::path(
    tag = "reports",
    params(Period),
    responses((status = 200, body = [WeekBar]), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/reports/weekly")]
async fn weekly(
    state: web::Data<AppState>,
    who: Identity,
    period: web::Query<Period>,
) -> Result<web::Json<Vec<WeekBar>>, ApiError> {
    compute_weekly(&state, &who, &period).await.map(web::Json)
}

/// Contacts per week as CSV (`week_start,contacts`).
#[utoipa::path(
    tag = "reports",
    params(Period),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
#[get("/reports/weekly.csv")]
async fn weekly_csv(
    state: web::Data<AppState>,
    who: Identity,
    period: web::Query<Period>,
) -> Result<HttpResponse, ApiError> {
    let weeks = compute_weekly(&state, &who, &period).await?;
    let mut csv = String::from("week_start,contacts\n");
    for week in &weeks {
        let value = week
            .contacts
            .as_str()
            .map_or_else(|| week.contacts.to_string(), str::to_owned);
        csv.push_str(&format!("{},{value}\n", week.week_start));
    }
    let (first, last) = period.days()?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"inbeeld-weeks-{first}-{last}.csv\""),
        ))
        .body(csv))
}

async fn compute_weekly(
    state: &AppState,
    who: &Identity,
    period: &Period,
) -> Result<Vec<WeekBar>, ApiError> {
    let (team, suppress) = audience(who)?;
    let (first, last) = period.days()?;
    let zone = state.zone;
    let scope = Scope {
        team,
        location: period.location_id,
        from: zone.start_of_day(first),
        to: zone.start_of_day(last + TimeDelta::days(1)),
        first_day: first,
        last_day: last,
    };
    let times = state
        .db
        .run(move |conn| Ok::<_, ApiError>(reports::contact_times(conn, &scope)?))
        .await?;
    let monday =
        |day: NaiveDate| day - TimeDelta::days(i64::from(day.weekday().num_days_from_monday()));
    let mut weeks: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    let mut week = monday(first);
    while week <= last {
        weeks.insert(week, 0);
        week += TimeDelta::weeks(1);
    }
    for (seen_at, visitors) in times {
        *weeks.entry(monday(zone.local_date(seen_at))).or_default() += i64::from(visitors);
    }
    Ok(weeks
        .into_iter()
        .map(|(week_start, contacts)| WeekBar {
            week_start,
            contacts: figure(contacts, suppress),
        })
        .collect())
}
