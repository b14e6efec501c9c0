//! The browser entry point: installs the panic hook and mounts the app. Trunk builds it to wasm.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(kurir::ui::App);
}
