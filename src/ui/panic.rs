//! A panic kills the wasm instance, so the hook paints a plain DOM overlay (reactivity is dead
//! by then) telling the student to reload, and logs the message for bug reports.

pub fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = format!("{info}");
        web_sys::console::error_1(&format!("NiN companion panicked: {message}").into());
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let Ok(overlay) = document.create_element("div") else { return };
        overlay.set_id("panic-overlay");
        let _ = overlay.set_attribute("role", "alert");
        // Both languages: the reactive language signal may be gone with the panic.
        overlay.set_text_content(Some(&format!("{} / {} ({message})", crate::i18n::EN.panic_overlay, crate::i18n::JA.panic_overlay)));
        if let Some(body) = document.body() {
            let _ = body.append_child(&overlay);
        }
    }));
}
