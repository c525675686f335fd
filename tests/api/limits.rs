//! Limits on what a client may send, and how slowly: bodies, headers, stalled and
//! trickling clients, garbage. The server answers with a 4xx or closes the connection, and
//! keeps serving everyone else meanwhile.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::{TestApp, spawn_app_with};

async fn raw(app: &TestApp) -> TcpStream {
    let address = app.address.trim_start_matches("http://");
    TcpStream::connect(address).await.unwrap()
}

/// What the server sends until it closes the connection (or 20 s pass).
async fn answer(stream: &mut TcpStream) -> String {
    let mut buffer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut buffer)).await;
    String::from_utf8_lossy(&buffer).into_owned()
}

async fn healthy(app: &TestApp) -> bool {
    let reply = reqwest::Client::new()
        .get(format!("{}/healthz", app.address))
        .timeout(Duration::from_secs(5))
        .send()
        .await;
    reply.is_ok_and(|r| r.status() == StatusCode::OK)
}

#[tokio::test]
async fn stalled_and_trickling_clients_get_408_while_others_are_served() {
    let app = spawn_app_with(|s| s.request_timeout_seconds = 2).await;
    let session = app.login_as(inbeeld::domain::role::Role::Casemanager).await;

    // A head that never ends, and a body that stops after ten bytes.
    let mut stalled_head = raw(&app).await;
    stalled_head
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .await
        .unwrap();
    let mut stalled_body = raw(&app).await;
    stalled_body
        .write_all(
            b"POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\n\
              Content-Type: application/json\r\nContent-Length: 60\r\n\r\n{\"username\"",
        )
        .await
        .unwrap();
    // A body trickled a byte every half second: each byte is on time, the whole is not.
    let mut trickle = raw(&app).await;
    trickle
        .write_all(
            b"POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\n\
              Content-Type: application/json\r\nContent-Length: 60\r\n\r\n",
        )
        .await
        .unwrap();
    let trickling = tokio::spawn(async move {
        for _ in 0..60 {
            if trickle.write_all(b" ").await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        answer(&mut trickle).await
    });

    // Meanwhile everyone else is answered.
    let started = Instant::now();
    for _ in 0..10 {
        session.get("/api/v1/clients").await.assert(StatusCode::OK);
    }
    assert!(healthy(&app).await);

    let head = answer(&mut stalled_head).await;
    assert!(head.starts_with("HTTP/1.1 408"), "stalled head: {head:?}");
    let body = answer(&mut stalled_body).await;
    assert!(body.starts_with("HTTP/1.1 408"), "stalled body: {body:?}");
    assert!(body.contains("request_timeout"), "{body}");
    let trickled = trickling.await.unwrap();
    assert!(
        trickled.starts_with("HTTP/1.1 408"),
        "trickled body: {trickled:?}"
    );
    // Cut off at the deadline, not after the trickle's 30 s.
    assert!(started.elapsed() < Duration::from_secs(15));
}

#[tokio::test]
async fn oversized_bodies_and_headers_are_refused() {
    let app = spawn_app_with(|s| s.max_body_kb = 4).await;
    let session = app.login_as(inbeeld::domain::role::Role::Casemanager).await;

    let note = "x".repeat(5 * 1024);
    session
        .post(
            "/api/v1/contacts",
            json!({"anonymous_count": 1, "location_id": 1, "note": note}),
        )
        .await
        .assert_error(StatusCode::PAYLOAD_TOO_LARGE, "too_large");

    // A declared length over the limit is refused before the body is read.
    let mut declared = raw(&app).await;
    declared
        .write_all(
            b"POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\n\
              Content-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n{",
        )
        .await
        .unwrap();
    let reply = answer(&mut declared).await;
    assert!(reply.starts_with("HTTP/1.1 413"), "{reply:?}");

    // A head of 200 headers, or one header of 100 KB: refused, never a 5xx.
    for head in [
        (0..200)
            .map(|i| format!("X-Filler-{i}: {i}\r\n"))
            .collect::<String>(),
        format!("X-Huge: {}\r\n", "y".repeat(100 * 1024)),
    ] {
        let mut stream = raw(&app).await;
        let request = format!("GET /api/v1/clients HTTP/1.1\r\nHost: 127.0.0.1\r\n{head}\r\n");
        let _ = stream.write_all(request.as_bytes()).await;
        let reply = answer(&mut stream).await;
        assert!(
            reply.is_empty() || reply.starts_with("HTTP/1.1 4"),
            "oversized head answered {:?}",
            reply.lines().next()
        );
    }
    assert!(healthy(&app).await);
}

#[tokio::test]
async fn garbage_on_many_connections_leaves_the_server_answering() {
    let app = spawn_app_with(|s| s.request_timeout_seconds = 2).await;
    let mut garbage = Vec::new();
    for i in 0..50u32 {
        let mut stream = raw(&app).await;
        let bytes: Vec<u8> = (0..4096u32)
            .map(|j| (j.wrapping_mul(2_654_435_761) ^ i) as u8)
            .collect();
        garbage.push(tokio::spawn(async move {
            let _ = stream.write_all(&bytes).await;
            answer(&mut stream).await
        }));
    }
    for _ in 0..20 {
        assert!(healthy(&app).await, "the server stopped answering");
    }
    for connection in garbage {
        let reply = connection.await.unwrap();
        assert!(
            reply.is_empty() || reply.starts_with("HTTP/1.1 4"),
            "garbage answered {:?}",
            reply.lines().next()
        );
    }
    assert!(healthy(&app).await);
}
