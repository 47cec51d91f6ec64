//! Runs the test emulator of the translation services on 127.0.0.1 until killed, for trying
//! `transmend translate` by hand: `cargo run --example emulator_server -- 5000`.
#![allow(clippy::unwrap_used)]

#[path = "../tests/emulator/mod.rs"]
mod emulator;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(5000);
    let emu = emulator::Emulator::start_on(port).await;
    println!("emulator listening on {}", emu.url());
    std::future::pending::<()>().await;
}
