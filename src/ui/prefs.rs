//! The learner's saved preferences, in localStorage: the language (missing or unreadable
//! falls back to the browser's language, then English) and the big-screen layout (off unless
//! saved as on).

use crate::lang::Lang;

const LANG_KEY: &str = "kurir.lang";
const BIG_SCREEN_KEY: &str = "kurir.big-screen";

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

/// Whether the big-screen layout was left on.
pub fn initial_big_screen() -> bool {
    storage()
        .and_then(|s| s.get_item(BIG_SCREEN_KEY).ok().flatten())
        .is_some_and(|saved| saved == "on")
}

/// Remembers the big-screen layout, on or off.
pub fn save_big_screen(on: bool) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(BIG_SCREEN_KEY, if on { "on" } else { "off" });
    }
}
