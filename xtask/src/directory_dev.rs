//! `cargo xtask directory-dev`: writes the DEVELOPMENT FSP/1 directory
//! `core/data/directory.dev.json` and its detached signature, deterministically: one
//! destination per office the core can route to (`routing::required_destinations`), keys from
//! the published dev seeds (`bundle::directory::dev`), signed by development root 0.
//!
//! This is the one xtask step that links the core: the directory must list exactly the
//! destinations the core's routing produces, and the dev keys must be the core's derivation.

use std::path::Path;

use anyhow::{Context, Result, bail};
use base64::Engine as _;
use ed25519_dalek::{Signer as _, SigningKey};
use elternkit_bundle::routing::{self, Service};
use elternkit_directory::{
    AgeRecipient, Destination, DestinationService, DirectoryDocument, EventKey, Jwk, Limits,
    Retention, dev,
};
use jiff::civil::date;

pub const JSON_OUT: &str = "core/data/directory.dev.json";
pub const SIG_OUT: &str = "core/data/directory.dev.json.sig";

/// Fixed dates keep the output reproducible; raise `VERSION` and the dates when reissuing.
const VERSION: u64 = 2;
const ENDPOINT: &str = "https://relay.dev.elternkit.invalid/fsp/v1";

pub fn run(root: &Path, check: bool) -> Result<()> {
    let (json, sig) = build()?;
    let stale =
        crate::generated::write_or_check(root, [(JSON_OUT, &json), (SIG_OUT, &sig)], check)?;
    if !stale.is_empty() {
        bail!(
            "the development directory is not what the core's routing model gives: {}; \
             run `cargo xtask directory-dev` and commit the result",
            stale.join(", ")
        );
    }
    Ok(())
}

fn build() -> Result<(String, String)> {
    let issued_at = date(2026, 11, 23);
    let expires_at = date(2028, 12, 31);
    let specs = routing::required_destinations().context("loading the routing model")?;
    // The development relay's receipt key (`elternkit-agency serve --dev-directory`).
    let relay = SigningKey::from_bytes(&dev::relay_key_seed()).verifying_key();
    let relay_x = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(relay.as_bytes());
    let relay_kid = {
        use sha2::Digest as _;
        let digest = sha2::Sha256::digest(relay.as_bytes());
        digest[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    let destinations = specs
        .into_iter()
        .map(|spec| {
            let recipient = dev::age_recipient(&spec.destination_id);
            let event_key = SigningKey::from_bytes(&dev::event_key_seed(&spec.destination_id));
            let x = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(event_key.verifying_key().as_bytes());
            let (leika, schema) = match spec.service {
                // LeiKa keys as far as SUBMISSION.md § 4 knows them (Elterngeld uncertain).
                Service::Elterngeldstelle => (Some("99041006017000"), "urn:elternkit:elterngeld:1"),
                Service::Familienkasse => (None, "urn:elternkit:kindergeld:1"),
                Service::Standesamt => (Some("99027006261000"), "urn:elternkit:geburtsanzeige:1"),
            };
            Destination {
                destination_id: spec.destination_id.clone(),
                name: spec.name,
                address: None,
                placeholder: true,
                endpoint: ENDPOINT.into(),
                services: vec![DestinationService {
                    service: spec.service,
                    leika: leika.map(str::to_owned),
                    schemas: vec![schema.into()],
                }],
                regions: spec.regions,
                data_exchanges: spec.data_exchanges,
                age_recipients: vec![AgeRecipient {
                    kid: elternkit_directory::kid_of(&recipient),
                    recipient,
                    not_before: issued_at,
                    not_after: expires_at,
                }],
                event_keys: vec![EventKey {
                    kid: elternkit_directory::kid_of(&x),
                    jwk: Jwk {
                        kty: "OKP".into(),
                        crv: "Ed25519".into(),
                        x,
                    },
                }],
                relay_keys: vec![EventKey {
                    kid: relay_kid.clone(),
                    jwk: Jwk {
                        kty: "OKP".into(),
                        crv: "Ed25519".into(),
                        x: relay_x.clone(),
                    },
                }],
                limits: Limits {
                    max_attachment_bytes: 20 * 1024 * 1024,
                    max_attachments: 20,
                },
                // SUBMISSION.md § 6.6.
                retention: Retention {
                    announced_hours: 24,
                    unretrieved_days: 14,
                    after_retrieval_days: 7,
                    events_days: 730,
                },
            }
        })
        .collect();
    let document = DirectoryDocument {
        version: VERSION,
        issued_at,
        expires_at,
        development: true,
        destinations,
    };
    let mut json = serde_json::to_string_pretty(&document)?;
    json.push('\n');
    let root_key = SigningKey::from_bytes(&dev::root_seed(0));
    let mut message = elternkit_directory::SIGNATURE_CONTEXT.to_vec();
    message.extend_from_slice(json.as_bytes());
    let signature = root_key.sign(&message);
    let sig = elternkit_directory::signature_line(
        root_key.verifying_key().as_bytes(),
        &signature.to_bytes(),
    );
    Ok((json, sig))
}
