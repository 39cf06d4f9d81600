//! The model cell's program as the page keeps it (issue 28): saved on every keystroke, put in a
//! share link (deflated by the browser's CompressionStream, in `exercises::code_link`'s format),
//! read back from such a link at load, and never lost to a button: what a link, an exercise or
//! "Back to the book's code" replaces is kept (and saved) for "Restore it".

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::exercises::code_link::{self, CodeLinkError};
use crate::i18n::Lang;
use crate::i18n::code::link_error;

const SAVE_KEY: &str = "nin.cell.model-code.v1";
const KEPT_KEY: &str = "nin.cell.model-code.kept.v1";

#[wasm_bindgen(module = "/src/js/share.js")]
extern "C" {
    /// Throws where the browser has no CompressionStream or no 'deflate-raw' format.
    #[wasm_bindgen(catch)]
    async fn deflate_raw(text: &str) -> Result<JsValue, JsValue>;
    /// False where the clipboard is refused (no permission, not a secure context, no gesture).
    async fn copy_text(text: &str) -> JsValue;
}

thread_local! {
    /// Whether the page opened a `#code=` link (the address no longer shows it): where to go.
    static ARRIVED_BY_LINK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether this page was opened from a model cell share link (read or not): `go_to_target`
/// takes the student to the cell.
pub fn arrived_by_link() -> bool {
    ARRIVED_BY_LINK.with(|a| a.get())
}

/// What replaced the program that is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReplacedBy {
    Link,
    Exercise,
    Book,
    /// "Restore it" swapped the kept program back in; this is the one it replaced.
    Restore,
}

/// A program set aside by a replacement, until restored or discarded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kept {
    pub text: String,
    pub by: ReplacedBy,
}

/// The cell's two tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeTab {
    PyTorch,
    Rust,
}

/// The program in the model cell, shared with the exercise cells that open their change in it.
#[derive(Clone, Copy)]
pub struct ModelCode {
    pub text: RwSignal<String>,
    pub kept: RwSignal<Option<Kept>>,
    pub tab: RwSignal<CodeTab>,
    /// The share link the page was opened with: read (`Ok`) or why not.
    pub arrival: RwSignal<Option<Result<(), CodeLinkError>>>,
    /// The text a button last put in the editor: replacing it untouched keeps nothing new (the
    /// kept program stays the student's own).
    placed: StoredValue<Option<String>>,
}

impl ModelCode {
    /// The saved program, else the book's; a `#code=` link's program replaces it (the saved one
    /// is kept when it is the student's own), and leaves the address.
    pub fn load() -> Self {
        let saved: Option<String> = super::storage::get(SAVE_KEY, super::storage::Stored::Code);
        let kept: Option<Kept> = super::storage::get::<Option<Kept>>(KEPT_KEY, super::storage::Stored::Code).flatten();
        let code = ModelCode {
            text: RwSignal::new(saved.unwrap_or_else(|| nin_code::BOOK_CODE.to_string())),
            kept: RwSignal::new(kept),
            tab: RwSignal::new(CodeTab::PyTorch),
            arrival: RwSignal::new(None),
            placed: StoredValue::new(None),
        };
        let Some(location) = web_sys::window().map(|w| w.location()) else { return code };
        let hash = location.hash().unwrap_or_default();
        if let Some(shared) = code_link::from_fragment(&hash) {
            ARRIVED_BY_LINK.with(|a| a.set(true));
            code.arrival.set(Some(shared.as_ref().map(|_| ()).map_err(|e| *e)));
            if let Ok(text) = shared {
                code.replace(text, ReplacedBy::Link);
            }
            // A reload keeps the saved program (with any edits), not the link's again.
            let (path, query) = (location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
            if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{path}{query}")));
            }
        }
        code
    }

    /// The student's typing: saved at once (nothing typed is lost).
    pub fn set(self, text: String) {
        super::storage::set(SAVE_KEY, &text, super::storage::Stored::Code);
        self.text.set(text);
    }

    fn keep(self, kept: Option<Kept>) {
        super::storage::set(KEPT_KEY, &kept, super::storage::Stored::Code);
        self.kept.set(kept);
    }

    /// Puts `text` in the editor for a button; the program there is kept unless it is the
    /// book's, the same, or what a button put there and nobody changed.
    fn replace(self, text: String, by: ReplacedBy) {
        let current = self.text.get_untracked();
        let untouched = self.placed.with_value(|p| p.as_deref() == Some(current.as_str()));
        if current != nin_code::BOOK_CODE && current != text && !untouched {
            self.keep(Some(Kept { text: current, by }));
        }
        self.placed.set_value(Some(text.clone()));
        self.set(text);
    }

    /// "Back to the book's code".
    pub fn reset(self) {
        self.replace(nin_code::BOOK_CODE.to_string(), ReplacedBy::Book);
    }

    /// "Restore it": the kept program back in the editor, and the one it replaces kept.
    pub fn restore(self) {
        let Some(kept) = self.kept.get_untracked() else { return };
        let current = self.text.get_untracked();
        let swapped = (current != nin_code::BOOK_CODE && current != kept.text).then_some(Kept { text: current, by: ReplacedBy::Restore });
        self.keep(swapped);
        self.placed.set_value(None);
        self.set(kept.text);
    }

    /// "Discard it".
    pub fn forget(self) {
        self.keep(None);
    }

    /// Puts an exercise's `text` in the editor (keeping the student's) and takes the student there.
    pub fn open(self, text: String) {
        self.replace(text, ReplacedBy::Exercise);
        let hidden = self.tab.get_untracked() != CodeTab::PyTorch;
        self.tab.set(CodeTab::PyTorch);
        let focus = || {
            let editor = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("model-code"));
            if let Some(editor) = editor.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                editor.scroll_into_view();
                let _ = editor.focus();
            }
        };
        if hidden {
            // The editor's panel is shown on the next render; focus it then.
            spawn_local(async move {
                gloo_timers::future::TimeoutFuture::new(0).await;
                focus();
            });
        } else {
            focus();
        }
    }
}

/// What "Share" did.
#[derive(Clone, Debug, PartialEq)]
enum Shared {
    Working,
    /// The link, and whether it reached the clipboard.
    Link(String, bool),
    TooLarge(CodeLinkError),
    Unsupported,
    Failed(String),
}

/// The link to this page with `fragment`.
fn page_link(fragment: &str) -> Option<String> {
    let location = web_sys::window()?.location();
    Some(format!("{}{}#{fragment}", location.origin().ok()?, location.pathname().ok()?))
}

/// "Share": a link with the program in it, copied and shown in a read-only field.
#[component]
pub fn ShareCode() -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    let code = expect_context::<ModelCode>();
    let t = move || lang.get().code_cell();
    let shared = RwSignal::new(None::<Shared>);
    let share = move |_| {
        let text = code.text.get_untracked();
        if let Err(e) = code_link::check_size(&text) {
            shared.set(Some(Shared::TooLarge(e)));
            return;
        }
        shared.set(Some(Shared::Working));
        spawn_local(async move {
            let outcome = match deflate_raw(&text).await {
                Ok(bytes) => {
                    let bytes = bytes.unchecked_into::<js_sys::Uint8Array>().to_vec();
                    match page_link(&code_link::fragment(&bytes)) {
                        Some(link) => {
                            let copied = copy_text(&link).await.as_bool() == Some(true);
                            Shared::Link(link, copied)
                        }
                        None => Shared::Failed("location".into()),
                    }
                }
                // No CompressionStream (ReferenceError), or none for 'deflate-raw' (TypeError).
                Err(e) if e.is_instance_of::<js_sys::ReferenceError>() || e.is_instance_of::<js_sys::TypeError>() => Shared::Unsupported,
                Err(e) => Shared::Failed(crate::client::js_error_text(&e)),
            };
            shared.set(Some(outcome));
        });
    };
    // Focus selects the whole link, ready to copy.
    let select = |ev: web_sys::FocusEvent| event_target::<web_sys::HtmlInputElement>(&ev).select();
    view! {
        <button type="button" data-testid="model-code-share" disabled=move || shared.get() == Some(Shared::Working) on:click=share>{move || t().share}</button>
        {move || shared.get().map(|s| match s {
            Shared::Working => ().into_any(),
            Shared::Link(link, copied) => view! {
                <span class="model-code-link">
                    <label class="visually-hidden" for="model-code-link">{t().share_label}</label>
                    <input type="text" id="model-code-link" readonly data-testid="model-code-link" data-copied=copied.to_string() prop:value=link on:focus=select/>
                    <span class="note" role="status" data-testid="model-code-share-status">{if copied { t().share_copied } else { t().share_select }}</span>
                </span>
            }.into_any(),
            Shared::TooLarge(e) => view! { <span class="error" role="status" data-testid="model-code-share-error">{link_error(lang.get(), &e)}</span> }.into_any(),
            Shared::Unsupported => view! { <span class="error" role="status" data-testid="model-code-share-error">{t().share_unsupported}</span> }.into_any(),
            Shared::Failed(why) => view! { <span class="error" role="status" data-testid="model-code-share-error">{format!("{} {why}", t().share_failed)}</span> }.into_any(),
        })}
    }
}

/// The link the page was opened with (read, or why not), and the program a replacement kept,
/// with "Restore it" and "Discard it".
#[component]
pub fn KeptNotice() -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    let code = expect_context::<ModelCode>();
    move || {
        let t = lang.get().code_cell();
        let arrival = code.arrival.get();
        let kept = code.kept.get();
        let link = match (arrival, &kept) {
            (Some(Err(e)), _) => Some(
                view! {
                    <p class="error" role="status" data-testid="model-code-link-error">{format!("{} {}", t.link_unreadable, link_error(lang.get(), &e))}</p>
                }
                .into_any(),
            ),
            (Some(Ok(())), k) if k.as_ref().is_none_or(|k| k.by != ReplacedBy::Link) => {
                Some(view! { <p class="note" role="status" data-testid="model-code-link-loaded">{t.link_loaded}</p> }.into_any())
            }
            _ => None,
        };
        let kept = kept.map(|k| {
            let text = match k.by {
                ReplacedBy::Link => t.kept_after_link,
                ReplacedBy::Exercise => t.kept_after_exercise,
                ReplacedBy::Book => t.kept_after_book,
                ReplacedBy::Restore => t.kept_after_restore,
            };
            let by = format!("{:?}", k.by).to_lowercase();
            view! {
                <p class="note model-code-kept" role="status" data-testid="model-code-kept" data-by=by>
                    {text}" "
                    <button type="button" class="small" data-testid="model-code-restore" on:click=move |_| code.restore()>{t.restore}</button>" "
                    <button type="button" class="small" data-testid="model-code-forget" on:click=move |_| code.forget()>{t.forget}</button>
                </p>
            }
        });
        view! { {link} {kept} }
    }
}
