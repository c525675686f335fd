//! The load benchmark's phones: the requests they send, written out once, and each phone
//! a keep-alive HTTP/1.1 connection of its own sending them back to back.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Uri};
use hyper_util::rt::TokioIo;
use serde_json::json;
use tokio::net::TcpStream;

use crate::stats::Latencies;

/// What the phones send, written out once: the phones' own work is not the server's, and
/// this load runs on the server's cores.
pub struct Requests {
    list: Uri,
    tap: Uri,
    /// Per client: her page, and the body of a tally tap for her.
    pages: Vec<Uri>,
    taps: Vec<Bytes>,
}

impl Requests {
    pub fn new(clients: &[i64], location: i64) -> Requests {
        let uri = |path: String| Uri::try_from(format!("/api/v1{path}")).unwrap();
        Requests {
            list: uri("/clients".into()),
            tap: uri("/contacts".into()),
            pages: clients
                .iter()
                .map(|id| uri(format!("/clients/{id}")))
                .collect(),
            taps: clients
                .iter()
                .map(|id| {
                    Bytes::from(json!({"client_id": id, "location_id": location}).to_string())
                })
                .collect(),
        }
    }
}

/// One signed-in phone: a keep-alive HTTP/1.1 connection of its own, carrying its session
/// cookie. Plain hyper, not reqwest: a cookie jar, connection pool and redirect policy per
/// request cost the shared cores a sixth of the run in the profile, for nothing a phone on
/// the street would take from the server.
struct Phone {
    sender: SendRequest<Full<Bytes>>,
    cookie: HeaderValue,
}

impl Phone {
    async fn connect(address: SocketAddr, cookie: &HeaderValue) -> Phone {
        let stream = TcpStream::connect(address).await.unwrap();
        stream.set_nodelay(true).unwrap();
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .unwrap();
        tokio::spawn(connection);
        Phone {
            sender,
            cookie: cookie.clone(),
        }
    }

    /// Sends one request and reads the whole answer; whether it succeeded.
    async fn send(&mut self, method: Method, uri: &Uri, body: Option<(Bytes, String)>) -> bool {
        let mut request = Request::builder()
            .method(method)
            .uri(uri.clone())
            .header(header::HOST, "127.0.0.1")
            .header(header::COOKIE, self.cookie.clone());
        let body = match body {
            Some((body, key)) => {
                request = request
                    .header(header::CONTENT_TYPE, "application/json")
                    .header("Idempotency-Key", key);
                body
            }
            None => Bytes::new(),
        };
        if self.sender.ready().await.is_err() {
            return false;
        }
        match self
            .sender
            .send_request(request.body(Full::new(body)).unwrap())
            .await
        {
            Ok(response) => {
                // Read every answer to its end, refusals too: a body left unread would end
                // the connection, and every later request of this phone would fail at once.
                let ok = response.status().is_success();
                let read = response.into_body().collect().await.is_ok();
                ok && read
            }
            Err(_) => false,
        }
    }
}

/// Every phone sends requests back to back for `turn`, to the servers in turn: 90 % tally
/// taps, 5 % client list, 5 % client page. Each turn opens fresh connections (the server closes idle ones while
/// the raw path has its turn).
pub async fn over_http(
    servers: &[SocketAddr],
    cookies: &[HeaderValue],
    requests: &Arc<Requests>,
    keys: &Arc<AtomicU64>,
    turn: Duration,
) -> Latencies {
    let mut phones = Vec::new();
    for (i, cookie) in cookies.iter().enumerate() {
        phones.push(Phone::connect(servers[i % servers.len()], cookie).await);
    }
    let deadline = Instant::now() + turn;
    let mut tasks = Vec::new();
    for (i, mut phone) in phones.into_iter().enumerate() {
        let (requests, keys) = (requests.clone(), keys.clone());
        tasks.push(tokio::spawn(async move {
            let mut seen = Latencies::default();
            let mut n = i;
            while Instant::now() < deadline {
                n += 1;
                let client = n % requests.pages.len();
                let started = Instant::now();
                let (ok, bucket) = match n % 20 {
                    0 => (
                        phone.send(Method::GET, &requests.list, None).await,
                        &mut seen.lists,
                    ),
                    1 => (
                        phone.send(Method::GET, &requests.pages[client], None).await,
                        &mut seen.pages,
                    ),
                    _ => {
                        let key = format!("load-{}", keys.fetch_add(1, Ordering::Relaxed));
                        let body = (requests.taps[client].clone(), key);
                        (
                            phone.send(Method::POST, &requests.tap, Some(body)).await,
                            &mut seen.writes,
                        )
                    }
                };
                if ok {
                    bucket.push(started.elapsed());
                } else {
                    seen.errors += 1;
                }
            }
            seen
        }));
    }
    let mut all = Latencies::default();
    for task in tasks {
        all.add(task.await.unwrap());
    }
    all
}
