//! What the relay's tests share: a relay on loopback, the device key, signed raw requests.

use std::sync::{Arc, LazyLock};

use ed25519_dalek::SigningKey;
use elternkit_agency::{Relay, RelayKey, SqliteStore, Store};
use elternkit_directory::Directory;
use elternkit_submit::httpsig;
use elternkit_transport::HttpTransport;
use jiff::Timestamp;
use jiff::civil::date;

pub const TOKEN: &str = "agency-test-token";
/// The relay's and the app's clock in the loopback tests (receipts are then exact).
pub const NOW: &str = "2027-03-01T10:00:00Z";

pub fn now() -> Timestamp {
    NOW.parse().expect("RFC 3339")
}

pub fn directory() -> Directory {
    Directory::development(date(2027, 3, 1)).expect("the shipped dev directory verifies")
}

/// The development directory of today (the relay binary loads this one).
pub fn directory_today() -> Directory {
    Directory::development(jiff::Zoned::now().date()).expect("the shipped dev directory verifies")
}

/// A relay on the real clock and today's directory (in-memory SQLite).
pub fn start_relay_today() -> Agency {
    let store: Arc<dyn Store> = Arc::new(SqliteStore::in_memory().expect("in-memory SQLite"));
    serve(Relay::new(store, directory_today(), receipt_key()))
}

/// The device key of the golden family's submissions.
pub static DEVICE: LazyLock<SigningKey> = LazyLock::new(|| SigningKey::from_bytes(&[7; 32]));

/// The app's transport to `base`, signing with [`DEVICE`] on the tests' clock.
pub fn transport(base: &str) -> HttpTransport {
    transport_for(base, &DEVICE)
}

pub fn transport_for(base: &str, key: &SigningKey) -> HttpTransport {
    HttpTransport::new(base, Arc::new(key.clone()))
        .expect("loopback http is allowed")
        .with_clock(Arc::new(now))
}

/// The relay's receipt key in the tests.
pub fn receipt_key() -> RelayKey {
    RelayKey::new(SigningKey::from_bytes(&[9; 32]), "urn:test:relay")
}

/// A relay on 127.0.0.1 with a port of the system's choosing, serving on its own thread
/// until the test process ends.
pub struct Agency {
    pub base: String,
    pub receipt_key: ed25519_dalek::VerifyingKey,
    pub store: Arc<dyn Store>,
}

/// A relay (in-memory SQLite, the tests' clock) whose subscriber reads `subscriber_of`.
pub fn start_relay(subscriber_of: &str) -> Agency {
    start_relay_on(
        subscriber_of,
        Arc::new(SqliteStore::in_memory().expect("in-memory SQLite")),
    )
}

/// The same on `store`.
pub fn start_relay_on(subscriber_of: &str, store: Arc<dyn Store>) -> Agency {
    serve(
        Relay::new(store, directory(), receipt_key())
            .with_subscriber(TOKEN, subscriber_of)
            .with_clock(Arc::new(now)),
    )
}

/// Serves `relay` on loopback from its own thread.
pub fn serve(relay: Relay) -> Agency {
    let receipt_key = relay.key.verifying_key();
    let store = Arc::clone(&relay.store);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds loopback");
    listener.set_nonblocking(true).expect("non-blocking");
    let addr = listener.local_addr().expect("bound");
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
            elternkit_agency::serve(listener, relay)
                .await
                .expect("serves");
        });
    });
    Agency {
        base: format!("http://{addr}"),
        receipt_key,
        store,
    }
}

/// The three header values of a request signed by `key` at `created` (seconds).
pub fn sign(
    key: &SigningKey,
    method: &str,
    url: &str,
    body: &[u8],
    created: i64,
) -> httpsig::RequestSignature {
    httpsig::sign_request(key, method, url, body, created, &nonce()).expect("signs")
}

/// Sends a request with the given signature headers (or none).
pub fn send(
    method: &str,
    url: &str,
    content_type: &str,
    body: Vec<u8>,
    signature: Option<&httpsig::RequestSignature>,
) -> reqwest::blocking::Response {
    let mut request = reqwest::blocking::Client::new()
        .request(method.parse().expect("a method"), url)
        .header("content-type", content_type);
    if let Some(s) = signature {
        request = request
            .header("content-digest", &s.content_digest)
            .header("signature-input", &s.signature_input)
            .header("signature", &s.signature);
    }
    request.body(body).send().expect("the relay answers")
}

/// One request signed by `key` as the app signs it (RFC 9421) on the tests' clock.
pub fn signed_request(
    key: &SigningKey,
    method: &str,
    url: &str,
    content_type: &str,
    body: Vec<u8>,
) -> reqwest::blocking::Response {
    let s = sign(key, method, url, &body, now().as_second());
    send(method, url, content_type, body, Some(&s))
}

/// The problem `type` and status of a reply.
pub fn problem_of(response: reqwest::blocking::Response) -> (u16, String) {
    let status = response.status().as_u16();
    let body: serde_json::Value =
        serde_json::from_slice(&response.bytes().expect("body")).expect("problem JSON");
    (status, body["type"].as_str().unwrap_or_default().to_owned())
}

pub fn nonce() -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 16]>())
}
