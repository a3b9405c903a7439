//! A fault-injecting HTTP/1.1 proxy between the app and one or more relays, on loopback.
//! Each client connection carries one request (the proxy answers `Connection: close`);
//! with probability `rate` the request meets one fault:
//!
//! - before the relay sees it: the connection dropped, reset (RST), or answered 502/503;
//! - on the way: a delay;
//! - after the relay committed: the response lost (closed or reset), cut in half, replaced
//!   by a 500, or the request sent twice (the client gets one of the two answers).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The fault kinds, in the order of [`Stats::by_kind`].
pub const KINDS: [&str; 9] = [
    "drop",
    "reset",
    "5xx-before",
    "delay",
    "lost-response",
    "reset-after",
    "truncated",
    "500-after",
    "duplicated",
];

#[derive(Debug, Default)]
pub struct Stats {
    pub requests: AtomicU64,
    pub faulted: AtomicU64,
    pub by_kind: [AtomicU64; KINDS.len()],
}

impl Stats {
    pub fn summary(&self) -> String {
        let kinds: Vec<String> = KINDS
            .iter()
            .zip(&self.by_kind)
            .map(|(k, n)| format!("{k} {}", n.load(Ordering::Relaxed)))
            .collect();
        format!(
            "{} requests, {} faulted ({})",
            self.requests.load(Ordering::Relaxed),
            self.faulted.load(Ordering::Relaxed),
            kinds.join(", ")
        )
    }
}

pub struct FaultProxy {
    pub base: String,
    pub stats: Arc<Stats>,
}

/// Starts the proxy on its own thread; requests go round-robin to `upstreams`.
pub fn start(upstreams: Vec<SocketAddr>, rate: f64, seed: u64) -> FaultProxy {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds loopback");
    listener.set_nonblocking(true).expect("non-blocking");
    let addr = listener.local_addr().expect("bound");
    let stats = Arc::new(Stats::default());
    let s = Arc::clone(&stats);
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async move {
            let listener = TcpListener::from_std(listener).expect("tokio listener");
            let upstreams = Arc::new(upstreams);
            let next = Arc::new(AtomicUsize::new(0));
            let mut rng = StdRng::seed_from_u64(seed);
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    continue;
                };
                let upstream = upstreams[next.fetch_add(1, Ordering::Relaxed) % upstreams.len()];
                let fault = rng
                    .random_bool(rate)
                    .then(|| rng.random_range(0..KINDS.len()));
                let conn_seed: u64 = rng.random();
                let stats = Arc::clone(&s);
                tokio::spawn(async move {
                    let _ = handle(client, upstream, fault, conn_seed, &stats).await;
                });
            }
        });
    });
    FaultProxy {
        base: format!("http://{addr}"),
        stats,
    }
}

/// Reads one request: its head (with `Connection: close` put in) and its body.
async fn read_request(client: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > 64 * 1024 {
            return Err(std::io::ErrorKind::InvalidData.into());
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let mut out = Vec::with_capacity(buf.len() + 20);
    for line in head.trim_end_matches("\r\n").split("\r\n") {
        if !line.to_ascii_lowercase().starts_with("connection:") {
            out.extend_from_slice(line.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
    }
    out.extend_from_slice(b"connection: close\r\n\r\n");
    out.extend_from_slice(&buf[head_end..head_end + length]);
    Ok(out)
}

/// Sends the request to the relay and reads the whole response (the relay closes).
async fn forward(upstream: SocketAddr, request: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut server = TcpStream::connect(upstream).await?;
    server.write_all(request).await?;
    let mut response = Vec::new();
    server.read_to_end(&mut response).await?;
    Ok(response)
}

fn canned(status: &str) -> Vec<u8> {
    let body = format!(
        "{{\"type\":\"about:blank\",\"title\":\"{status}\",\"status\":{}}}",
        &status[..3]
    );
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/problem+json\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn reset(stream: TcpStream) {
    // SO_LINGER 0: closing sends RST instead of FIN. tokio deprecates set_linger because a
    // non-zero linger blocks the thread on drop; a zero one never does.
    #[allow(deprecated)]
    let _ = stream.set_linger(Some(Duration::ZERO));
    drop(stream);
}

async fn handle(
    mut client: TcpStream,
    upstream: SocketAddr,
    fault: Option<usize>,
    seed: u64,
    stats: &Stats,
) -> std::io::Result<()> {
    let request = read_request(&mut client).await?;
    stats.requests.fetch_add(1, Ordering::Relaxed);
    let mut rng = StdRng::seed_from_u64(seed);
    let Some(kind) = fault else {
        let response = forward(upstream, &request).await?;
        return client.write_all(&response).await;
    };
    stats.faulted.fetch_add(1, Ordering::Relaxed);
    stats.by_kind[kind].fetch_add(1, Ordering::Relaxed);
    match KINDS[kind] {
        "drop" => {
            drop(client);
            Ok(())
        }
        "reset" => {
            reset(client);
            Ok(())
        }
        "5xx-before" => {
            let status = if rng.random_bool(0.5) {
                "502 Bad Gateway"
            } else {
                "503 Service Unavailable"
            };
            client.write_all(&canned(status)).await
        }
        "delay" => {
            tokio::time::sleep(Duration::from_millis(rng.random_range(5..60))).await;
            let response = forward(upstream, &request).await?;
            client.write_all(&response).await
        }
        "lost-response" => {
            forward(upstream, &request).await?;
            drop(client);
            Ok(())
        }
        "reset-after" => {
            forward(upstream, &request).await?;
            reset(client);
            Ok(())
        }
        "truncated" => {
            let response = forward(upstream, &request).await?;
            client.write_all(&response[..response.len() / 2]).await?;
            reset(client);
            Ok(())
        }
        "500-after" => {
            forward(upstream, &request).await?;
            client.write_all(&canned("500 Internal Server Error")).await
        }
        _ => {
            // Duplicated: both copies reach the relay; the client sees one answer.
            let first = forward(upstream, &request).await?;
            let second = forward(upstream, &request).await?;
            let answer = if rng.random_bool(0.5) { first } else { second };
            client.write_all(&answer).await
        }
    }
}
