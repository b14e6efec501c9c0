//! The capture download: every frame the world has put on a link so far, as a libpcap file
//! ([`World::pcap`]) named `kurir-<events>.pcap`, for the learner to open in Wireshark. The
//! bytes become a Blob behind a temporary object URL that a temporary `<a download>` saves.

use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, HtmlElement, Url};

use super::event_text::reactive;
use crate::lang::Lang;
use crate::sim::world::World;

/// The media type of a libpcap file (IANA).
const PCAP_TYPE: &str = "application/vnd.tcpdump.pcap";

#[component]
pub fn CaptureDownload(world: RwSignal<World>, lang: RwSignal<Lang>) -> impl IntoView {
    let download = move |_| {
        let (bytes, events) = world.with_untracked(|w| (w.pcap(), w.events().len()));
        // A browser that refuses (no Blob support) leaves the page as it was.
        let _ = save(&bytes, &format!("kurir-{events}.pcap"));
    };
    view! {
        <div class="kr-capture">
            <button
                type="button"
                class="kr-button"
                data-testid="capture-download"
                aria-describedby="kr-capture-hint"
                on:click=download
            >
                {reactive(lang, |t| t.download)}
            </button>
            <span id="kr-capture-hint" class="kr-capture__hint">{reactive(lang, |t| t.download_hint)}</span>
        </div>
    }
}

/// Saves `bytes` as a file called `name` through the browser's download.
fn save(bytes: &[u8], name: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = BlobPropertyBag::new();
    options.set_type(PCAP_TYPE);
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let link = document().create_element("a")?;
    link.set_attribute("href", &url)?;
    link.set_attribute("download", name)?;
    link.unchecked_into::<HtmlElement>().click();
    // The download has read the URL once the click is handled; free the bytes after it.
    set_timeout(
        move || {
            let _ = Url::revoke_object_url(&url);
        },
        Duration::from_secs(1),
    );
    Ok(())
}
