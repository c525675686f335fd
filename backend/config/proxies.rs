//! The reverse proxies whose forwarded addresses are believed.

use std::net::IpAddr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Reverse proxies whose `X-Forwarded-For` is believed: IP addresses, written as a
/// comma-separated list in the settings.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(try_from = "String", into = "String")]
pub struct TrustedProxies(Arc<[IpAddr]>);

impl TrustedProxies {
    pub fn parse(list: &str) -> Result<TrustedProxies, String> {
        list.split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| {
                item.parse()
                    .map_err(|_| format!("trusted_proxies: `{item}` is not an IP address"))
            })
            .collect::<Result<Vec<IpAddr>, String>>()
            .map(|list| TrustedProxies(list.into()))
    }

    pub fn addresses(&self) -> &[IpAddr] {
        &self.0
    }
}

impl TryFrom<String> for TrustedProxies {
    type Error = String;

    fn try_from(list: String) -> Result<TrustedProxies, String> {
        TrustedProxies::parse(&list)
    }
}

impl From<TrustedProxies> for String {
    fn from(proxies: TrustedProxies) -> String {
        proxies
            .0
            .iter()
            .map(IpAddr::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}
