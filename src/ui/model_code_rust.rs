//! The model cell's "Burn (Rust)" tab (issue 28): the Burn code of the net the PyTorch code
//! describes (`model::burn_code`), generated again from every version that parses, highlighted
//! like the page's other Rust listings. Read only.

use leptos::prelude::*;

use super::code_cell::class;
use super::model_code_share::{CodeTab, ModelCode};
use crate::content::highlight::highlight;
use crate::i18n::Lang;
use crate::i18n::code::code_error;

/// The generated code, and the program's error when the current text does not parse (the
/// code is then the last version's, or none).
#[derive(Clone, Default, PartialEq)]
struct Generated {
    rust: Option<String>,
    error: Option<nin_code::CodeError>,
}

/// The tab's panel content. The code is generated only while the tab is shown (the PyTorch
/// tab's typing does not parse on every keystroke for a hidden panel).
#[component]
pub fn RustCode() -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    let code = expect_context::<ModelCode>();
    let generated = Memo::new(move |previous: Option<&Generated>| {
        let last = previous.cloned().unwrap_or_default();
        if code.tab.get() != CodeTab::Rust {
            return last;
        }
        let source = code.text.get();
        match nin_code::analyze(&source) {
            Ok((net, summary)) => Generated { rust: Some(crate::model::burn_code::generate(&source, &net, &summary)), error: None },
            Err(e) => Generated { rust: last.rust, error: Some(e) },
        }
    });
    move || {
        let lang = lang.get();
        let t = lang.code_cell();
        let Generated { rust, error } = generated.get();
        let problem = error.map(|e| {
            let lead = if rust.is_some() { t.rust_stale } else { t.rust_none };
            view! { <p class="error" role="status" data-testid="model-code-rust-error">{format!("{lead} {}", code_error(lang, &e))}</p> }
        });
        let listing = rust.map(|rust| {
            let spans = highlight(&rust).into_iter().map(|(token, text)| view! { <span class=class(token)>{text.to_string()}</span> }).collect_view();
            view! { <pre class="model-code-rust" tabindex="0" data-testid="model-code-rust" aria-label=t.tab_rust><code>{spans}</code></pre> }
        });
        view! {
            <p class="note">{t.rust_note}</p>
            {problem}
            {listing}
        }
    }
}
