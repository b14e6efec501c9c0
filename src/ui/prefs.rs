//! The learner's saved preferences (only the language for now), in localStorage.
//! Anything missing or unreadable falls back to the browser's language, then English.

use crate::lang::Lang;

const LANG_KEY: &str = "kurir.lang";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The saved language, else the browser's, else English.
pub fn initial_lang() -> Lang {
    let saved = storage().and_then(|s| s.get_item(LANG_KEY).ok().flatten());
    saved
        .as_deref()
        .and_then(Lang::from_code)
        .or_else(|| {
            web_sys::window()?
                .navigator()
                .language()
                .as_deref()
                .and_then(Lang::from_code)
        })
        .unwrap_or_default()
}

/// Remembers `lang`. Failing to save (private mode, quota) only costs the memory of it.
pub fn save_lang(lang: Lang) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(LANG_KEY, lang.code());
    }
}
