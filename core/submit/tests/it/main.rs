pub mod envelope;
mod outbox;
