//! The push services a browser's subscription may point at.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// The hosts browsers hand out as subscription endpoints: Chrome and other Chromium
/// browsers, Firefox, Safari (iOS and macOS), Edge (`wns2-….notify.windows.com`).
const BROWSERS: [&str; 4] = [
    "fcm.googleapis.com",
    "push.services.mozilla.com",
    "web.push.apple.com",
    "notify.windows.com",
];

/// Host names of push services, written as a comma-separated list in the settings. Each
/// entry covers that host and every host under it (`push.services.mozilla.com` covers
/// `updates.push.services.mozilla.com`); a leading `*.` means the same.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(try_from = "String", into = "String")]
pub struct PushHosts(Arc<[String]>);

impl Default for PushHosts {
    fn default() -> PushHosts {
        PushHosts(BROWSERS.iter().map(|host| (*host).to_owned()).collect())
    }
}

impl PushHosts {
    pub fn parse(list: &str) -> Result<PushHosts, String> {
        list.split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| {
                let name = item.strip_prefix("*.").unwrap_or(item);
                match url::Host::parse(name) {
                    Ok(url::Host::Domain(host)) if !host.ends_with('.') && !host.contains('*') => {
                        Ok(host)
                    }
                    _ => Err(format!(
                        "push_hosts: `{item}` is not a host name (list names such as fcm.googleapis.com, no addresses or ports)"
                    )),
                }
            })
            .collect::<Result<Vec<String>, String>>()
            .map(|list| PushHosts(list.into()))
    }

    /// Whether `host` (as a URL holds it: lower case, punycode) is a listed host or lies
    /// under one. A longer name merely ending in the same letters is not.
    pub fn covers(&self, host: &str) -> bool {
        self.0.iter().any(|entry| {
            host == entry.as_str()
                || host
                    .strip_suffix(entry.as_str())
                    .is_some_and(|sub| sub.len() > 1 && sub.ends_with('.'))
        })
    }
}

impl TryFrom<String> for PushHosts {
    type Error = String;

    fn try_from(list: String) -> Result<PushHosts, String> {
        PushHosts::parse(&list)
    }
}

impl From<PushHosts> for String {
    fn from(hosts: PushHosts) -> String {
        hosts.0.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_is_covered_by_itself_and_the_hosts_under_it() {
        let hosts = PushHosts::default();
        for host in [
            "fcm.googleapis.com",
            "updates.push.services.mozilla.com",
            "web.push.apple.com",
            "wns2-db5p.notify.windows.com",
        ] {
            assert!(hosts.covers(host), "{host}");
        }
        for host in [
            "googleapis.com",
            "notfcm.googleapis.com",
            "fcm.googleapis.com.attacker.example",
            ".fcm.googleapis.com",
            "push.example.net",
            "127.0.0.1",
        ] {
            assert!(!hosts.covers(host), "{host}");
        }
    }

    #[test]
    fn the_list_holds_host_names_only() {
        let hosts = PushHosts::parse(" Push.Example.NET, *.push.example.org ,").unwrap();
        assert_eq!(
            String::from(hosts.clone()),
            "push.example.net, push.example.org"
        );
        assert!(hosts.covers("eu.push.example.org"));
        assert!(hosts.covers("push.example.org"));
        for bad in [
            "10.0.0.1",
            "[::1]",
            "push.example:443",
            "https://push.example",
            "*",
        ] {
            let err = PushHosts::parse(bad).unwrap_err();
            assert!(err.contains("push_hosts"), "{bad}: {err}");
        }
        assert_eq!(
            String::from(PushHosts::parse(&String::from(PushHosts::default())).unwrap()),
            String::from(PushHosts::default())
        );
    }
}
