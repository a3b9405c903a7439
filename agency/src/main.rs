//! `elternkit-agency`: `serve` runs the FSP/1 relay; `keygen` makes an agency's keys;
//! `inbox` answers the submissions to one destination; `sandbox` runs a throw-away relay
//! with every office's inbox on loopback for the apps' tests.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use ed25519_dalek::SigningKey;
use elternkit_agency::inbox::Outcome;
use elternkit_agency::{PgStore, Relay, RelayKey, SqliteStore, Store};
use elternkit_directory::{Directory, TrustAnchors};

#[derive(Parser)]
#[command(name = "elternkit-agency", about = "The FSP/1 relay of ElternKit")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs the relay (sender and subscriber endpoints).
    Serve {
        /// Address to listen on, e.g. 127.0.0.1:8443 (TLS is terminated in front of it).
        #[arg(long)]
        listen: SocketAddr,
        /// SQLite file (created if missing), `:memory:` for a throw-away relay, or a
        /// PostgreSQL URL `postgres://user@host:port/db` (several relays may share it).
        #[arg(long)]
        database: String,
        /// Connections to PostgreSQL per relay instance.
        #[arg(long, default_value_t = 16)]
        pool_size: usize,
        /// The signed directory (JSON) and its signature line, verified against the
        /// production roots.
        #[arg(
            long,
            requires = "directory_signature",
            conflicts_with = "dev_directory"
        )]
        directory: Option<PathBuf>,
        #[arg(long)]
        directory_signature: Option<PathBuf>,
        /// Use the shipped development directory (development keys: never in production).
        #[arg(long)]
        dev_directory: bool,
        /// File with the receipt key's 32-byte seed as 64 hex digits. Without it the
        /// development relay key (with --dev-directory) or a throw-away key is used, and its
        /// public key printed.
        #[arg(long)]
        receipt_key: Option<PathBuf>,
        /// The relay's URL, the `iss` of its receipts.
        #[arg(long, default_value = "urn:elternkit:relay")]
        issuer: String,
        /// File with one `DESTINATION_ID TOKEN` per line: the subscribers' bearer tokens.
        #[arg(long)]
        subscribers: Option<PathBuf>,
        /// The URL apps use for this relay (the directory's `endpoint`), against which the
        /// request signatures' `@target-uri` is checked. Without it: `http://` + `Host`
        /// (loopback development only).
        #[arg(long)]
        public_url: Option<String>,
        /// Seconds between two retention sweeps (every instance sweeps; it is idempotent).
        #[arg(long, default_value_t = 60)]
        sweep_every: u64,
        /// Requests per device key per minute.
        #[arg(long, default_value_t = elternkit_agency::relay::DEFAULT_RATE_PER_MINUTE)]
        rate_limit: u32,
    },
    /// Makes a destination's age identity and event key (files readable by the owner only)
    /// and prints the public parts for the directory.
    Keygen {
        /// The destination id the keys are for.
        #[arg(long)]
        destination: String,
        /// Folder for `<id>.age-identity` and `<id>.event-key`; existing files are never
        /// overwritten.
        #[arg(long)]
        out: PathBuf,
    },
    /// Downloads, opens, verifies and re-computes each new submission to the destination
    /// and posts a signed `accepted` or `rejected` event.
    Inbox {
        /// The relay's base URL.
        #[arg(long)]
        relay: String,
        #[arg(long)]
        destination: String,
        /// File with the subscriber's bearer token.
        #[arg(long)]
        token: PathBuf,
        /// The age identity file from `keygen` (more than one during a key rollover).
        #[arg(long, required = true)]
        identity: Vec<PathBuf>,
        /// The event key file from `keygen`.
        #[arg(long)]
        event_key: PathBuf,
        /// The signed directory and its signature line (production roots).
        #[arg(
            long,
            requires = "directory_signature",
            conflicts_with = "dev_directory"
        )]
        directory: Option<PathBuf>,
        #[arg(long)]
        directory_signature: Option<PathBuf>,
        /// Use the shipped development directory (development keys: never in production).
        #[arg(long)]
        dev_directory: bool,
        /// Poll every this many seconds; without it, one round and exit.
        #[arg(long)]
        every: Option<u64>,
    },
    /// A throw-away FSP/1 world on 127.0.0.1 for the Kotlin and Swift tests (development
    /// only): the relay, a development directory pointing every office at it (written to
    /// `<out>/directory.json` and `.sig`, signed by the published development root 0). Prints
    /// the relay's URL and runs until stdin closes.
    Sandbox {
        /// A folder for the directory files (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// Also run every office's inbox, every MILLISECONDS: each new submission is
        /// decrypted, verified and answered with a signed event (accepted with an
        /// Aktenzeichen), so that an app sees its applications accepted.
        #[arg(long, value_name = "MILLISECONDS")]
        offices_every: Option<u64>,
    },
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Serve {
            listen,
            database,
            pool_size,
            directory,
            directory_signature,
            dev_directory,
            receipt_key,
            issuer,
            subscribers,
            public_url,
            rate_limit,
            sweep_every,
        } => {
            let directory = load_directory(directory, directory_signature, dev_directory)?;
            let seed = match receipt_key {
                Some(path) => {
                    parse_seed(&std::fs::read_to_string(&path).context("reading the receipt key")?)?
                }
                // The development directory lists the published development relay key.
                None if dev_directory => elternkit_directory::dev::relay_key_seed(),
                None => {
                    let seed: [u8; 32] = rand::random();
                    seed
                }
            };
            let key = RelayKey::new(SigningKey::from_bytes(&seed), issuer);
            eprintln!(
                "elternkit-agency: receipt key {} ({})",
                key.kid(),
                elternkit_agency::receipt::hex(key.verifying_key().as_bytes())
            );
            let store: Arc<dyn Store> = if database == ":memory:" {
                Arc::new(SqliteStore::in_memory()?)
            } else if database.starts_with("postgres://") || database.starts_with("postgresql://") {
                Arc::new(
                    PgStore::connect(&database, pool_size).context("connecting to PostgreSQL")?,
                )
            } else {
                Arc::new(SqliteStore::open(std::path::Path::new(&database))?)
            };
            let mut relay = Relay::new(store, directory, key).with_rate_limit(rate_limit);
            if let Some(url) = &public_url {
                relay = relay.with_public_base(url);
            }
            if let Some(path) = subscribers {
                let text = std::fs::read_to_string(&path).context("reading the subscribers")?;
                for line in text
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                {
                    let Some((dest, token)) = line.split_once(char::is_whitespace) else {
                        bail!("a subscriber line is `DESTINATION_ID TOKEN`");
                    };
                    relay = relay.with_subscriber(token.trim(), dest);
                }
            }
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .context("starting the runtime")?;
            runtime.block_on(async {
                let listener = tokio::net::TcpListener::bind(listen)
                    .await
                    .with_context(|| format!("binding {listen}"))?;
                eprintln!("elternkit-agency: listening on {}", listener.local_addr()?);
                let _sweeper = relay.spawn_sweeper(std::time::Duration::from_secs(sweep_every));
                elternkit_agency::serve(listener, relay).await?;
                Ok(())
            })
        }
        Command::Keygen { destination, out } => keygen(&destination, &out),
        Command::Sandbox { out, offices_every } => sandbox(&out, offices_every),
        Command::Inbox {
            relay,
            destination,
            token,
            identity,
            event_key,
            directory,
            directory_signature,
            dev_directory,
            every,
        } => inbox(
            &relay,
            &destination,
            &token,
            &identity,
            &event_key,
            load_directory(directory, directory_signature, dev_directory)?,
            every,
        ),
    }
}

fn load_directory(
    directory: Option<PathBuf>,
    signature: Option<PathBuf>,
    dev_directory: bool,
) -> Result<Directory> {
    let today = jiff::Zoned::now().date();
    match (directory, signature, dev_directory) {
        (Some(json), Some(sig), false) => {
            let json = std::fs::read(&json).context("reading the directory")?;
            let sig = std::fs::read_to_string(&sig).context("reading its signature")?;
            Directory::verify(&json, sig.trim(), today, &TrustAnchors::production())
                .context("verifying the directory")
        }
        (None, None, true) => Directory::development(today).context("the development directory"),
        _ => bail!("give --directory with --directory-signature, or --dev-directory"),
    }
}

fn keygen(destination: &str, out: &std::path::Path) -> Result<()> {
    let keys = elternkit_agency::keys::AgencyKeys::generate();
    let written = keys
        .write(out, destination)
        .with_context(|| format!("writing the keys to {}", out.display()))?;
    for path in &written {
        eprintln!("elternkit-agency: wrote {} (mode 0600)", path.display());
    }
    println!("{}", serde_json::to_string_pretty(&keys.directory_entry())?);
    Ok(())
}

fn sandbox(out: &std::path::Path, offices_every: Option<u64>) -> Result<()> {
    let sandbox = elternkit_agency::sandbox::Sandbox::start(jiff::Zoned::now().date(), None)
        .context("starting the sandbox")?;
    std::fs::create_dir_all(out).context("the output folder")?;
    // The signature last: a reader that sees it sees the directory too.
    std::fs::write(out.join("directory.json"), sandbox.directory_json())?;
    std::fs::write(
        out.join("directory.json.sig"),
        sandbox.directory_signature(),
    )?;
    println!("{}", sandbox.endpoint());
    let closed = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = Arc::clone(&closed);
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut std::io::stdin(), &mut std::io::sink());
        flag.store(true, std::sync::atomic::Ordering::SeqCst);
    });
    // The relay serves on its own thread; the offices' inboxes run here if asked for,
    // else they are the tests' to run.
    let mut offices = match offices_every {
        Some(_) => Some(sandbox.offices().context("the offices' inboxes")?),
        None => None,
    };
    let pause = std::time::Duration::from_millis(offices_every.unwrap_or(200).max(10));
    while !closed.load(std::sync::atomic::Ordering::SeqCst) {
        if let Some(offices) = offices.as_mut() {
            for (dest, sid, outcome) in offices.poll(jiff::Timestamp::now())? {
                match outcome {
                    Outcome::Accepted { aktenzeichen } => {
                        eprintln!("{dest}: {sid} accepted {aktenzeichen}")
                    }
                    Outcome::Rejected(r) => eprintln!("{dest}: {sid} rejected {}", r.problem),
                    Outcome::AlreadyFinal => {}
                }
            }
        }
        std::thread::sleep(pause);
    }
    Ok(())
}

fn inbox(
    relay: &str,
    destination: &str,
    token: &std::path::Path,
    identities: &[PathBuf],
    event_key: &std::path::Path,
    directory: Directory,
    every: Option<u64>,
) -> Result<()> {
    use elternkit_agency::inbox::Inbox;
    let dest = directory
        .destination(destination)
        .with_context(|| format!("{destination} is not in the directory"))?
        .clone();
    let token = std::fs::read_to_string(token).context("reading the token")?;
    let identities = identities
        .iter()
        .map(|p| elternkit_agency::keys::read_private(p))
        .collect::<Result<Vec<_>, _>>()?;
    let refs: Vec<&str> = identities.iter().map(|s| s.trim()).collect();
    let opener = elternkit_submit::Opener::new(&dest, &refs).context("the age identities")?;
    let signing = SigningKey::from_bytes(&parse_seed(&elternkit_agency::keys::read_private(
        event_key,
    )?)?);
    let kid = elternkit_agency::keys::event_kid(&signing.verifying_key());
    if !dest.event_keys.iter().any(|k| k.kid == kid) {
        bail!("the event key {kid} is not one of {destination}'s in the directory");
    }
    let mut inbox = Inbox::new(relay, token.trim(), dest, opener, signing, &kid)?;
    loop {
        let outcomes = inbox.poll(jiff::Timestamp::now(), &mut |checked| {
            elternkit_agency::keys::aktenzeichen(destination, checked)
        })?;
        for (sid, outcome) in outcomes {
            match outcome {
                Outcome::Accepted { aktenzeichen } => println!("{sid} accepted {aktenzeichen}"),
                Outcome::Rejected(r) => println!("{sid} rejected {}: {}", r.problem, r.detail),
                Outcome::AlreadyFinal => println!("{sid} answered before"),
            }
        }
        match every {
            Some(s) => std::thread::sleep(std::time::Duration::from_secs(s.max(1))),
            None => return Ok(()),
        }
    }
}

fn parse_seed(text: &str) -> Result<[u8; 32]> {
    let text = text.trim();
    if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        bail!("the receipt key file must hold 64 hex digits");
    }
    let mut seed = [0u8; 32];
    for (i, byte) in seed.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).context("hex")?;
    }
    Ok(seed)
}
