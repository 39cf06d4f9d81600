//! The Leptos front end (wasm only): one component family per file. It talks to `engine`
//! through async calls and renders their typed results and errors.

mod app;
mod backend_panel;
mod code_cell;
mod exercise4;
mod exercise_inputs;
mod exercise_predict;
mod exercises;
mod explore_1x1;
mod explore_common;
mod explore_gap;
mod fetch;
mod figure;
mod model_code_cell;
mod model_code_rust;
mod model_code_share;
mod motivation;
mod offline;
mod panic;
mod prose;
mod run_all;
mod runs;
mod shape_cell;
mod shipped;
mod speeds;
mod state;
mod storage;
mod train_board;
mod train_cell;
mod train_form;
mod train_results;
mod train_run;
mod try_cell;

pub use app::App;
use wasm_bindgen::JsCast;

/// Installs the panic overlay and mounts the app. Where the page carries the static chapter
/// (`#prerender`, written by `crate::prerender` at build time), the app is built in a detached
/// element and swapped in for it in the same task (no paint in between), and the paragraph the
/// student was reading is put back where it was on screen.
pub fn start() {
    panic::install_hook();
    let document = web_sys::window().and_then(|w| w.document());
    let static_page = document.as_ref().and_then(|d| d.get_element_by_id("prerender"));
    let (Some(document), Some(static_page)) = (document, static_page) else {
        leptos::mount::mount_to_body(App);
        go_to_target();
        return;
    };
    let Ok(root) = document.create_element("div").map(wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>) else {
        leptos::mount::mount_to_body(App);
        go_to_target();
        return;
    };
    root.set_id("app");
    let anchor = reading_anchor(&static_page);
    leptos::mount::mount_to(root.clone(), App).forget();
    if static_page.replace_with_with_node_1(&root).is_err() {
        return;
    }
    match anchor {
        Some((selector, top)) => keep_in_place(selector, top),
        None => go_to_target(),
    }
}

/// Keeps the element `selector` finds at `top` px from the window's top while the cells settle
/// (their results, figures and fonts arrive over the next moments and change the heights above
/// it), for 2 s or until the student scrolls, clicks, touches or types (the browser's own scroll
/// anchoring also moves the page meanwhile, so a changed scroll position alone says nothing).
fn keep_in_place(selector: String, top: f64) {
    thread_local! {
        static TOUCHED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    let Some(window) = web_sys::window() else { return };
    TOUCHED.with(|t| t.set(false));
    let touched = wasm_bindgen::closure::Closure::<dyn Fn()>::new(|| TOUCHED.with(|t| t.set(true)));
    for event in ["wheel", "touchstart", "keydown", "mousedown"] {
        let _ = window.add_event_listener_with_callback(event, touched.as_ref().unchecked_ref());
    }
    leptos::task::spawn_local(async move {
        let Some(document) = window.document() else { return };
        for _ in 0..20 {
            if TOUCHED.with(|t| t.get()) {
                break;
            }
            if let Ok(Some(el)) = document.query_selector(&selector) {
                let off = el.get_bounding_client_rect().top() - top;
                if off.abs() > 1.0 {
                    window.scroll_by_with_x_and_y(0.0, off);
                }
            }
            gloo_timers::future::TimeoutFuture::new(100).await;
        }
        for event in ["wheel", "touchstart", "keydown", "mousedown"] {
            let _ = window.remove_event_listener_with_callback(event, touched.as_ref().unchecked_ref());
        }
        drop(touched);
    });
}

/// Where the address points once the content has mounted: its `#fragment` (a section, an
/// exercise), the model cell for its share link (`#code=`), or the exercise a share link names
/// (`?ex=ex3`).
fn go_to_target() {
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    let hash = location.hash().unwrap_or_default();
    let query = location.search().unwrap_or_default();
    let id = match hash.strip_prefix('#').filter(|h| !h.is_empty()) {
        Some(id) => Some(id.to_string()),
        // A model cell share link (`#code=`, read and taken out of the address at load).
        None if model_code_share::arrived_by_link() => Some("model-code-cell".to_string()),
        None => crate::exercises::share::decode(&query).0.exercise.map(|e| e.id().to_string()),
    };
    if let Some(id) = id
        && window.document().and_then(|d| d.get_element_by_id(&id)).is_some()
    {
        keep_in_place(format!("[id=\"{}\"]", id.replace(['"', '\\'], "")), 0.0);
    }
}

/// The first paragraph, heading or exercise of the static page that is on screen, as a selector
/// that finds its counterpart in the app, with its distance from the top of the window. None at
/// the top of the page (nothing to keep).
fn reading_anchor(static_page: &web_sys::Element) -> Option<(String, f64)> {
    if web_sys::window()?.scroll_y().ok()? <= 0.0 {
        return None;
    }
    let nodes = static_page.query_selector_all("[data-p], section > h2, article.exercise").ok()?;
    (0..nodes.length()).filter_map(|i| nodes.item(i)).filter_map(|n| n.dyn_into::<web_sys::Element>().ok()).find_map(|e| {
        let rect = e.get_bounding_client_rect();
        if rect.bottom() <= 0.0 {
            return None;
        }
        let selector = match e.get_attribute("data-p") {
            Some(key) => format!("[data-p=\"{key}\"]"),
            None => format!("#{}", e.id()),
        };
        Some((selector, rect.top()))
    })
}
