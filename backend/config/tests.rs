//! How settings are read from the environment and checked.

use super::*;

#[test]
fn the_address_to_open_names_the_machine_or_the_public_origin() {
    let mut settings = Settings {
        bind: "127.0.0.1:0".into(),
        ..Settings::default()
    };
    assert_eq!(settings.address_to_open(8080), "http://localhost:8080");
    settings.bind = "[::]:8080".into();
    assert_eq!(settings.address_to_open(8080), "http://localhost:8080");
    settings.bind = "zorg.example:9000".into();
    assert_eq!(settings.address_to_open(9000), "http://zorg.example:9000");
    settings.public_origin = "https://inbeeld.example.nl/".into();
    assert_eq!(settings.address_to_open(8080), "https://inbeeld.example.nl");
}

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Asserts that `variable` set to `value` is refused with an error that names `what`.
fn refused_naming(variable: &str, value: &str, what: &str) {
    let err = Settings::load(None, env(&[(variable, value)])).unwrap_err();
    let text = format!("{err:#}");
    assert!(text.contains(what), "{variable}={value}: {text}");
}

#[test]
fn every_setting_is_described_exactly_once() {
    use super::describe::DESCRIPTIONS;
    let defaults = toml::Table::try_from(Settings::default()).unwrap();
    let described: Vec<&str> = DESCRIPTIONS.iter().map(|(k, _)| *k).collect();
    let mut fields: Vec<&str> = defaults.keys().map(String::as_str).collect();
    let mut sorted = described.clone();
    fields.sort_unstable();
    sorted.sort_unstable();
    assert_eq!(fields, sorted);
}

#[test]
fn the_readme_has_a_row_for_every_setting() {
    let readme = include_str!("../../README.md");
    for (key, _) in super::describe::DESCRIPTIONS {
        let row = format!("| `{ENV_PREFIX}{}`", key.to_ascii_uppercase());
        assert!(readme.contains(&row), "README.md has no row for {row}");
    }
}

#[test]
fn environment_overrides_file_overrides_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("inbeeld.toml");
    std::fs::write(&file, "bind = \"0.0.0.0:9000\"\nbackdate_max_days = 7\n").unwrap();
    let settings = Settings::load(
        Some(&file),
        env(&[("INBEELD_BACKDATE_MAX_DAYS", "3"), ("HOME", "/root")]),
    )
    .unwrap();
    assert_eq!(settings.bind, "0.0.0.0:9000");
    assert_eq!(settings.backdate_max_days, 3);
    assert_eq!(settings.time_zone, "Europe/Amsterdam");
}

#[test]
fn bad_values_are_refused_with_the_setting_named() {
    refused_naming("INBEELD_TIME_ZONE", "Mars/Olympus", "Mars/Olympus");
    refused_naming("INBEELD_DB_POOL_SIZE", "many", "INBEELD_DB_POOL_SIZE");
    refused_naming("INBEELD_RETENTION_MONTHS", "0", "retention_months");
    refused_naming(
        "INBEELD_AUDIT_RETENTION_YEARS",
        "4",
        "audit_retention_years",
    );
    refused_naming("INBEELD_NO_SUCH", "1", "INBEELD_NO_SUCH");
}

#[test]
fn push_hosts_are_a_list_of_host_names() {
    let settings = Settings::load(
        None,
        env(&[
            ("INBEELD_PUSH_HOSTS", "push.example.net, *.push.example.org"),
            ("INBEELD_PUSH_ALLOW_LOOPBACK", "true"),
        ]),
    )
    .unwrap();
    assert!(settings.push_hosts.covers("eu.push.example.org"));
    assert!(!settings.push_hosts.covers("fcm.googleapis.com"));
    assert!(settings.push_allow_loopback);
    let defaults = Settings::load(None, env(&[])).unwrap();
    assert!(defaults.push_hosts.covers("fcm.googleapis.com"));
    assert!(!defaults.push_allow_loopback);
    assert_eq!(defaults.push_max_devices, 10);
    refused_naming("INBEELD_PUSH_HOSTS", "10.0.0.1", "push_hosts");
    refused_naming("INBEELD_PUSH_MAX_DEVICES", "0", "push_max_devices");
}

#[test]
fn referral_waits_are_a_default_and_a_list_per_kind() {
    use crate::domain::referral::ReferralKind;
    let settings = Settings::load(
        None,
        env(&[
            ("INBEELD_REFERRAL_WAIT_DAYS", "30"),
            (
                "INBEELD_REFERRAL_WAIT_DAYS_BY_KIND",
                "housing_application:180",
            ),
        ]),
    )
    .unwrap();
    let waits = settings.referral_waits();
    assert_eq!(waits.for_kind(ReferralKind::HousingApplication), 180);
    assert_eq!(waits.for_kind(ReferralKind::Treatment), 30);
    let defaults = Settings::load(None, env(&[])).unwrap().referral_waits();
    assert_eq!(defaults.for_kind(ReferralKind::HousingApplication), 42);
    refused_naming(
        "INBEELD_REFERRAL_WAIT_DAYS_BY_KIND",
        "castle:3",
        "referral_wait_days_by_kind",
    );
    refused_naming("INBEELD_REFERRAL_WAIT_DAYS", "0", "referral_wait_days");
}

#[test]
fn database_url_falls_back_to_sqlite_in_data_dir() {
    let settings = Settings::load(None, env(&[("INBEELD_DATA_DIR", "/var/lib/x")])).unwrap();
    assert_eq!(settings.effective_database_url(), "/var/lib/x/inbeeld.db");
    let settings = Settings::load(None, env(&[("DATABASE_URL", "postgres://db/inbeeld")])).unwrap();
    assert_eq!(settings.effective_database_url(), "postgres://db/inbeeld");
}
