//! `elternkit-agency serve --listen 127.0.0.1:PORT --database FILE`: the FSP/1 relay.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use ed25519_dalek::SigningKey;
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
        /// File with the receipt key's 32-byte seed as 64 hex digits. Without it a
        /// throw-away key is made and its public key printed.
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
            let today = jiff::Zoned::now().date();
            let directory = match (directory, directory_signature, dev_directory) {
                (Some(json), Some(sig), false) => {
                    let json = std::fs::read(&json).context("reading the directory")?;
                    let sig = std::fs::read_to_string(&sig).context("reading its signature")?;
                    Directory::verify(&json, sig.trim(), today, &TrustAnchors::production())
                        .context("verifying the directory")?
                }
                (None, None, true) => {
                    Directory::development(today).context("the development directory")?
                }
                _ => bail!("give --directory with --directory-signature, or --dev-directory"),
            };
            let seed = match receipt_key {
                Some(path) => {
                    parse_seed(&std::fs::read_to_string(&path).context("reading the receipt key")?)?
                }
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
