//! What the event and inbox tests share: a real relay on 127.0.0.1 and a golden family's
//! applications sealed and filed through the app's outbox with the reqwest transport.

#![allow(dead_code)]

use std::sync::Arc;

use ed25519_dalek::SigningKey;
use elternkit_agency::{Relay, RelayKey, SqliteStore};
use elternkit_bundle::routing::Routing;
use elternkit_bundle::{Application, DeriveContext, DirectoryRouter, derive};
use elternkit_directory::{Destination, Directory, dev};
use elternkit_model::Case;
use elternkit_submit::envelope::{Metadata, Region};
use elternkit_submit::events::EventKeys;
use elternkit_submit::outbox::{self, Next, Outbox};
use elternkit_submit::{AttachmentInput, Purpose, SealInput, Sealed, payload, seal};
use elternkit_transport::HttpTransport;
use jiff::Timestamp;
use jiff::civil::date;
use rand::SeedableRng;
use rand::rngs::StdRng;
use uuid::Uuid;

pub const TOKEN: &str = "agency-test-token";
pub const NOW: &str = "2027-03-01T10:00:00Z";
/// The test relay signs with the development relay key, which the dev directory lists.
pub fn relay_seed() -> [u8; 32] {
    dev::relay_key_seed()
}

pub fn now() -> Timestamp {
    NOW.parse().expect("RFC 3339")
}

pub fn directory() -> Directory {
    Directory::development(date(2027, 3, 1)).expect("the shipped dev directory verifies")
}

/// The keys the app checks a destination's events with: its event keys and the relay's
/// receipt keys, both from the signed directory.
pub fn event_keys(dest: &Destination) -> EventKeys {
    EventKeys::for_destination(dest)
}

/// The destination's development event key, as the agency holds it.
pub fn agency_key(dest: &Destination) -> (String, SigningKey) {
    let key = SigningKey::from_bytes(&dev::event_key_seed(&dest.destination_id));
    let kid = dest.event_keys[0].kid.clone();
    (kid, key)
}

/// A relay on 127.0.0.1 with a port of the system's choosing, subscribers for `readers`,
/// serving on its own thread until the test process ends. Returns its base URL.
pub fn start_relay(readers: &[&str]) -> String {
    let key = RelayKey::new(SigningKey::from_bytes(&relay_seed()), "urn:test:relay");
    let mut relay = Relay::new(
        Arc::new(SqliteStore::in_memory().expect("in-memory SQLite")),
        directory(),
        key,
    )
    .with_clock(Arc::new(now));
    for dest in readers {
        relay = relay.with_subscriber(&format!("{TOKEN}-{dest}"), dest);
    }
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds loopback");
    listener.set_nonblocking(true).expect("non-blocking");
    let addr = listener.local_addr().expect("bound");
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .expect("a runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
            elternkit_agency::serve(listener, relay)
                .await
                .expect("serves");
        });
    });
    format!("http://{addr}")
}

pub fn token(dest: &Destination) -> String {
    format!("{TOKEN}-{}", dest.destination_id)
}

/// The golden family whose three applications are ready (Bayern, unmarried).
pub fn family() -> (Case, Vec<Application>) {
    let path = format!(
        "{}/../core/bundle/tests/fixtures/bayern_unmarried.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let json = std::fs::read_to_string(&path).expect("fixture is readable");
    let case = elternkit_model::parse_case(&json).expect("fixture is a valid case");
    let dir = directory();
    let bundle = derive(&case, &DeriveContext::default(), &DirectoryRouter(&dir));
    let apps = bundle
        .applications
        .into_iter()
        .filter(|a| a.ready)
        .collect();
    (case, apps)
}

/// The dev destination the bundle routed `app` to.
pub fn destination_for(app: &Application) -> Destination {
    let Some(Routing::Resolved { office, .. }) = &app.routing else {
        panic!("{} is not routed: {:?}", app.id, app.routing);
    };
    directory()
        .destination(&office.destination_id)
        .expect("the routed office is in the directory")
        .clone()
}

/// `app` sealed for `dest` with one attachment, signed by the device key `[7; 32]`.
pub fn seal_application(case: &Case, app: &Application, dest: &Destination, sid: Uuid) -> Sealed {
    let result = elternkit_rules::calculate(case);
    let data =
        serde_json::to_value(payload::build(app, case, &result).expect("builds")).expect("JSON");
    let input = SealInput {
        submission_id: sid,
        bundle_id: Uuid::from_u128(1000),
        destination: dest,
        on: date(2027, 3, 1),
        schema: payload::schema_of(app.service).into(),
        region: Region {
            ars: "091620000000".into(),
        },
        metadata: Metadata::unauthenticated(now(), "0.1.0"),
        data,
        attachments: vec![AttachmentInput {
            attachment_id: Uuid::from_u128(2000),
            filename: "nachweis.pdf".into(),
            mime_type: "application/pdf".into(),
            purpose: Purpose::Evidence,
            document_kind: Some("lohnabrechnung".into()),
            document_id: Some("doc1".into()),
            bytes: b"%PDF-1.7 Nachweis",
        }],
    };
    seal(&input, &SigningKey::from_bytes(&[7; 32])).expect("seals")
}

/// Files `sealed` through the outbox and returns the `submitted` receipt.
pub fn file(base: &str, sealed: &Sealed) -> String {
    let device = std::sync::Arc::new(SigningKey::from_bytes(&[7; 32]));
    let mut transport = HttpTransport::new(base, device)
        .expect("loopback http is allowed")
        .with_clock(Arc::new(now));
    let mut outbox = Outbox::new(sealed);
    let mut rng = StdRng::seed_from_u64(1);
    for _ in 0..32 {
        match outbox::step(&mut outbox, sealed, &mut transport, now(), &mut rng) {
            Next::Send(_) => continue,
            Next::Submitted { receipt } => return receipt.to_owned(),
            other => panic!("the outbox did not file: {other:?}"),
        }
    }
    panic!("the outbox did not finish in 32 steps");
}

/// A GET signed by the device of [`seal_application`] (RFC 9421, the relay's clock), as
/// the app reads its events.
pub fn device_get(url: &str) -> reqwest::blocking::Response {
    use base64::Engine as _;
    let nonce = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 16]>());
    let key = SigningKey::from_bytes(&[7; 32]);
    let s =
        elternkit_submit::httpsig::sign_request(&key, "GET", url, b"", now().as_second(), &nonce)
            .expect("signs");
    reqwest::blocking::Client::new()
        .get(url)
        .header("content-digest", s.content_digest)
        .header("signature-input", s.signature_input)
        .header("signature", s.signature)
        .send()
        .expect("the relay answers")
}
