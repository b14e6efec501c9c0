//! The browser entry point: installs the panic hook and mounts the app. Trunk builds it to wasm.
//! It also exports [`kurir_campaign`], which the browser performance test calls.

use kurir::sim::campaign::{self, Campaign};
use wasm_bindgen::prelude::wasm_bindgen;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(kurir::ui::App);
}

/// Runs a mass mailing of `messages` × `recipients_per_message` through a fresh default
/// world inside the page and reports it as `key=value` pairs, with the size the module's
/// linear memory has grown to (it never shrinks, so that is the peak). The page stays as
/// it was: the world is dropped at the end.
#[wasm_bindgen]
pub fn kurir_campaign(messages: u32, recipients_per_message: u32) -> String {
    let campaign = Campaign {
        messages: messages as usize,
        recipients_per_message: recipients_per_message as usize,
        batch: 100,
        messages_per_session: 1,
    };
    match campaign::run(campaign, 1) {
        Ok(done) => format!(
            "{} linear_memory_bytes={}",
            done.outcome().to_line(),
            linear_memory_bytes()
        ),
        Err(error) => format!("error={error}"),
    }
}

#[cfg(target_arch = "wasm32")]
fn linear_memory_bytes() -> usize {
    core::arch::wasm32::memory_size::<0>() * 65_536
}

/// Natively there is no linear memory to measure.
#[cfg(not(target_arch = "wasm32"))]
fn linear_memory_bytes() -> usize {
    0
}
