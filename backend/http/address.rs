//! The address a request comes from, for sign-in throttling and the audit trail.
//!
//! Behind a reverse proxy every request arrives from the proxy, and the client's address
//! is in `X-Forwarded-For`, a header any client can also set. So the header counts only
//! when the peer is a configured proxy (`trusted_proxies`), and then only the addresses
//! those proxies appended: reading from the right, the first one that is not a trusted
//! proxy is the client. What a client wrote in the header itself is never reached.

use std::net::IpAddr;

use actix_web::HttpRequest;
use actix_web::http::header::HeaderName;

const FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

/// The client's address as far as it can be trusted.
pub fn client_address(req: &HttpRequest, proxies: &[IpAddr]) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else {
        return "unknown".to_owned();
    };
    if !proxies.contains(&peer) {
        return peer.to_string();
    }
    let forwarded: Vec<IpAddr> = req
        .headers()
        .get_all(FORWARDED_FOR)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|item| item.trim().parse::<IpAddr>())
        .collect::<Result<_, _>>()
        // A header the proxy did not write cleanly: fall back to the proxy itself.
        .unwrap_or_default();
    forwarded
        .iter()
        .rev()
        .find(|address| !proxies.contains(address))
        .unwrap_or(&peer)
        .to_string()
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;
    use crate::config::TrustedProxies;

    fn from(peer: &str, forwarded: Option<&str>, proxies: &str) -> String {
        let peer = std::net::SocketAddr::new(peer.parse().unwrap(), 4000);
        let mut req = TestRequest::default().peer_addr(peer);
        if let Some(value) = forwarded {
            req = req.insert_header(("X-Forwarded-For", value));
        }
        client_address(
            &req.to_http_request(),
            TrustedProxies::parse(proxies).unwrap().addresses(),
        )
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        // No proxy configured: the header is the client's word, ignored.
        assert_eq!(
            from("198.51.100.7", Some("203.0.113.9"), ""),
            "198.51.100.7"
        );
        // From a proxy that is not trusted: ignored as well.
        assert_eq!(
            from("198.51.100.7", Some("203.0.113.9"), "127.0.0.1"),
            "198.51.100.7"
        );
        // Behind the trusted local proxy: the address it appended.
        assert_eq!(
            from("127.0.0.1", Some("203.0.113.9"), "127.0.0.1"),
            "203.0.113.9"
        );
        // A client that sends its own header: the proxy appends the real address after
        // it, and that one is taken; two proxies in a row are both skipped.
        assert_eq!(
            from("127.0.0.1", Some("1.2.3.4, 203.0.113.9"), "127.0.0.1"),
            "203.0.113.9"
        );
        assert_eq!(
            from(
                "127.0.0.1",
                Some("1.2.3.4, 203.0.113.9, 10.0.0.2"),
                "127.0.0.1, 10.0.0.2"
            ),
            "203.0.113.9"
        );
        // Garbage or no header from the proxy: the proxy's own address.
        assert_eq!(
            from("127.0.0.1", Some("nonsense"), "127.0.0.1"),
            "127.0.0.1"
        );
        assert_eq!(from("127.0.0.1", None, "127.0.0.1"), "127.0.0.1");
        assert_eq!(from("::1", Some("2001:db8::5"), "::1"), "2001:db8::5");
        assert!(TrustedProxies::parse("127.0.0.1, localhost").is_err());
    }
}
