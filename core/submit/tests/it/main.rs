pub mod envelope;
mod outbox;
mod payload;
