//! The demo's last part: the family's three applications really submitted, end to end, on
//! this machine. An embedded FSP/1 relay and the agencies' inboxes run on 127.0.0.1 with
//! keys made for this run (`elternkit_agency::sandbox`); the family's draft is saved
//! encrypted in a throw-away store; each ready application is sealed (age to its office,
//! manifest signed with the device key from the secret store), sent by the outbox
//! (`elternkit_sender::process_outbox`), opened, verified and re-computed by its office's
//! inbox and accepted; the app verifies the receipts and events and shows each status.

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use elternkit_agency::inbox::Outcome;
use elternkit_agency::sandbox::Sandbox;
use elternkit_bundle::routing::Routing;
use elternkit_bundle::{DeriveContext, DirectoryRouter, derive};
use elternkit_model::{Lang, Template};
use elternkit_sender::{
    CancelToken, DeviceSigner, Env, FilingStatus, Report, enqueue, process_outbox,
};
use elternkit_store::crypto::{MemorySecretStore, device_signing_key};
use elternkit_store::{DraftContent, DraftStatus, DraftSummary, Store};
use elternkit_submit::envelope::{Metadata, Region};
use elternkit_submit::events::{self, EventKind};
use elternkit_submit::{AttachmentInput, Purpose, SealInput, payload, seal};
use jiff::Timestamp;
use uuid::Uuid;

use crate::messages as m;
use crate::out::outln;

/// The document the demo family still had to upload: p2's employer confirmation of
/// Elternzeit (§ 1 Abs. 6, § 2 Abs. 3 BEEG). A stand-in PDF, marked as one.
const UPLOAD_ID: &str = "d-ez-p2";
const UPLOAD_KIND: &str = "elternzeit_bestaetigung";
const UPLOAD_BYTES: &[u8] =
    b"%PDF-1.7\n% ElternKit demo: stand-in for the employer's Elternzeit confirmation (p2)\n";

/// A folder removed when the demo ends, however it ends.
struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn run(case_json: &str, lang: Lang) -> Result<()> {
    let t = |msg: &'static Template| msg.get(lang);
    outln!("\n{}", t(&m::SUBMIT_HEADING));
    let today = jiff::Zoned::now().date();
    let sandbox = Sandbox::start(today, None).context("starting the embedded relay")?;
    outln!("  {} {}", t(&m::SUBMIT_RELAY), sandbox.endpoint());

    // The draft, saved encrypted; the missing document uploaded into it.
    let dir = TempDir(std::env::temp_dir().join(format!("elternkit-demo-{}", Uuid::new_v4())));
    std::fs::create_dir_all(&dir.0).context("a folder for the demo's store")?;
    let secrets = MemorySecretStore::new();
    let mut store = Store::open(&dir.0.join("demo.db"), &secrets).context("the demo's store")?;
    let mut case: serde_json::Value = serde_json::from_str(case_json)?;
    let documents = case["application"]["documents"]
        .as_array_mut()
        .context("the demo case lists documents")?;
    documents.push(serde_json::json!({"id": UPLOAD_ID, "kind": UPLOAD_KIND, "parent": "p2"}));
    let draft = store
        .create_draft(&DraftContent {
            status: DraftStatus::Ready,
            summary: DraftSummary::default(),
            case: case.clone(),
        })
        .context("saving the draft")?
        .id;
    store
        .add_document(
            &draft,
            "elternzeit-bestaetigung-p2.pdf",
            "application/pdf",
            UPLOAD_BYTES,
        )
        .context("storing the document")?;
    outln!("  {} {}", t(&m::SUBMIT_DRAFT_SAVED), store.key_id());
    outln!("  {} {UPLOAD_ID}", t(&m::SUBMIT_UPLOADED));

    // Derive again with the document, routed in the sandbox directory, and seal each ready
    // application for its office.
    let model = elternkit_model::parse_case(&case.to_string())
        .map_err(|p| anyhow::anyhow!("the demo case: {p:?}"))?;
    let directory = sandbox.directory();
    let bundle = derive(
        &model,
        &DeriveContext::default(),
        &DirectoryRouter(directory),
    );
    let result = elternkit_rules::calculate(&model);
    let device = device_signing_key(&secrets).context("the device signing key")?;
    let signer: DeviceSigner = Arc::new(device.clone());
    let now = Timestamp::now();
    let mut names = BTreeMap::new();
    for app in &bundle.applications {
        if !app.ready {
            bail!("the demo application {} is not ready", app.id);
        }
        let Some(Routing::Resolved { office, .. }) = &app.routing else {
            bail!("the demo application {} has no office", app.id);
        };
        let dest = directory
            .destination(&office.destination_id)
            .with_context(|| format!("{} is not in the directory", office.destination_id))?;
        let data = serde_json::to_value(payload::build(app, &model, &result)?)?;
        let attachments = if data["documents"]
            .as_array()
            .is_some_and(|d| d.iter().any(|x| x["documentId"] == UPLOAD_ID))
        {
            vec![AttachmentInput {
                attachment_id: Uuid::new_v4(),
                filename: "elternzeit-bestaetigung-p2.pdf".into(),
                mime_type: "application/pdf".into(),
                purpose: Purpose::Evidence,
                document_kind: Some(UPLOAD_KIND.into()),
                document_id: Some(UPLOAD_ID.into()),
                bytes: UPLOAD_BYTES,
            }]
        } else {
            Vec::new()
        };
        let sealed = seal(
            &SealInput {
                submission_id: Uuid::new_v4(),
                bundle_id: Uuid::new_v4(),
                destination: dest,
                on: directory.checked_on(),
                schema: payload::schema_of(app.service).into(),
                // The demo family lives in Bremen (ARS of the Stadtgemeinde Bremen).
                region: Region {
                    ars: "040110000000".into(),
                },
                metadata: Metadata::unauthenticated(now, env!("CARGO_PKG_VERSION")),
                data,
                attachments,
            },
            &device,
        )?;
        let sid = enqueue(&mut store, &draft, &sealed)?;
        names.insert(sid, (app.id.clone(), office.name.clone()));
    }

    // The app's background run: everything is sent and filed.
    let report = send(&mut store, &sandbox, &signer, Timestamp::now)?;
    for f in &report.submissions {
        let (app, office) = name_of(&names, f.submission_id)?;
        outln!("\n  [{app}] {office}");
        let FilingStatus::Filed { received_at } = &f.status else {
            bail!("{app} was not filed: {:?}", f.status);
        };
        outln!("    {} {received_at}", t(&m::SUBMIT_FILED));
        let receipt = f
            .events
            .iter()
            .find_map(|j| {
                let d = events::decode(j).ok()?;
                (d.claims.event().ok()?.0 == EventKind::Submitted).then_some((d.kid, j))
            })
            .context("the submitted receipt")?;
        outln!("    {} kid {}", t(&m::SUBMIT_RECEIPT), receipt.0);
        outln!("    {}", abbreviate(receipt.1));
    }

    // The offices' inboxes: open, verify, re-compute, answer.
    let destinations: std::collections::BTreeSet<&str> = report
        .submissions
        .iter()
        .map(|f| f.destination_id.as_str())
        .collect();
    let answered = sandbox.offices_of(destinations)?.poll(Timestamp::now())?;
    for (_, sid, outcome) in answered {
        let (app, _) = name_of(&names, sid)?;
        match outcome {
            Outcome::Accepted { aktenzeichen } => {
                outln!("  [{app}] {} {aktenzeichen}", t(&m::SUBMIT_AGENCY_ACCEPTED));
            }
            Outcome::Rejected(r) => bail!("{app} was rejected: {r}"),
            Outcome::AlreadyFinal => {}
        }
    }

    // The app's next background run fetches and verifies the agencies' events.
    let later = Timestamp::now()
        .checked_add(jiff::SignedDuration::from_mins(
            elternkit_sender::EVENT_POLL_MINUTES + 1,
        ))
        .context("the clock is out of range")?;
    let report = send(&mut store, &sandbox, &signer, move || later)?;
    outln!("\n{}", t(&m::SUBMIT_STATUS_HEADING));
    for f in &report.submissions {
        let (app, office) = name_of(&names, f.submission_id)?;
        let line = match &f.status {
            FilingStatus::Accepted {
                received_at,
                aktenzeichen,
            } => format!(
                "{} {} · {} {received_at} · {} {}",
                t(&m::SUBMIT_STATUS_ACCEPTED),
                aktenzeichen.as_deref().unwrap_or("-"),
                t(&m::SUBMIT_FILED),
                t(&m::SUBMIT_EVENTS_VERIFIED),
                f.events.len()
            ),
            other => format!("{other:?}"),
        };
        outln!("  [{app}] {office}: {line}");
    }
    Ok(())
}

/// The application and office of a submission this run made.
fn name_of(names: &BTreeMap<Uuid, (String, String)>, sid: Uuid) -> Result<&(String, String)> {
    names
        .get(&sid)
        .with_context(|| format!("submission {sid} is not one of the demo's"))
}

fn send(
    store: &mut Store,
    sandbox: &Sandbox,
    device: &DeviceSigner,
    now: impl Fn() -> Timestamp,
) -> Result<Report> {
    let mut rng = rand::rng();
    let cancel = CancelToken::new();
    // The relay binds each submission to the key that signed its manifest (PROTOCOL § 5.1).
    let mut connect = elternkit_sender::http_connect(Arc::clone(device));
    let mut env = Env {
        now: &now,
        rng: &mut rng,
        cancel: &cancel,
        connect: &mut connect,
    };
    Ok(process_outbox(store, sandbox.directory(), &mut env)?)
}

/// A compact JWS shortened for the screen: its start and its end.
fn abbreviate(jws: &str) -> String {
    if jws.len() <= 72 {
        return jws.to_owned();
    }
    format!("{}…{}", &jws[..40], &jws[jws.len() - 24..])
}
