//! "Run all", as a notebook does it: the quick cells run one after another, top to bottom, each
//! after the one before has finished; cells that need something first (a trained model, a
//! download, minutes of training) are skipped and the report says which and why. Each cell also
//! shows when it last ran.

use leptos::prelude::*;

use crate::i18n::Lang;

/// The cells "Run all" visits, in the page's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Explore1x1,
    Shape,
    ExploreGap,
    ModelCode,
    Training,
    TryIt,
}

pub const ORDER: [Step; 6] = [Step::Explore1x1, Step::Shape, Step::ExploreGap, Step::ModelCode, Step::Training, Step::TryIt];

impl Step {
    fn name(self, lang: Lang) -> &'static str {
        let t = lang.explore();
        match self {
            Step::Explore1x1 => t.cell_explore_1x1,
            Step::Shape => t.cell_shape,
            Step::ExploreGap => t.cell_gap,
            Step::ModelCode => t.cell_code,
            Step::Training => t.cell_training,
            Step::TryIt => t.cell_try,
        }
    }

    /// The cell's anchor and the report's key.
    pub fn id(self) -> &'static str {
        match self {
            Step::Explore1x1 => "explore-1x1",
            Step::Shape => "shape-cell",
            Step::ExploreGap => "explore-gap",
            Step::ModelCode => "model-code-cell",
            Step::Training => "training",
            Step::TryIt => "try-cell",
        }
    }
}

/// Why a cell was left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Skip {
    /// It needs a trained model (load or train one).
    NeedsModel,
    /// It downloads a second model: the student opens it.
    Download,
    /// Training takes minutes: the student starts it.
    Training,
}

impl Skip {
    fn reason(self, lang: Lang) -> &'static str {
        let t = lang.explore();
        match self {
            Skip::NeedsModel => t.skip_model,
            Skip::Download => t.skip_download,
            Skip::Training => t.skip_training,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Ran,
    Skipped(Skip),
}

/// The page's "Run all": whose turn it is, and what happened so far.
#[derive(Clone, Copy)]
pub struct RunAll {
    turn: RwSignal<Option<usize>>,
    pub report: RwSignal<Vec<(Step, Outcome)>>,
    pub passes: RwSignal<u32>,
}

impl RunAll {
    pub fn new() -> Self {
        RunAll { turn: RwSignal::new(None), report: RwSignal::new(Vec::new()), passes: RwSignal::new(0) }
    }

    pub fn running(self) -> bool {
        self.turn.get().is_some()
    }

    /// Starts from the top (again).
    pub fn start(self) {
        self.report.set(Vec::new());
        self.turn.set(Some(0));
        self.skip_cells_without_part();
    }

    fn finish(self, step: Step, outcome: Outcome) {
        let Some(i) = self.turn.get_untracked() else { return };
        if ORDER.get(i) != Some(&step) {
            return;
        }
        self.report.update(|r| r.push((step, outcome)));
        if i + 1 < ORDER.len() {
            self.turn.set(Some(i + 1));
            self.skip_cells_without_part();
        } else {
            self.turn.set(None);
            self.passes.update(|n| *n += 1);
        }
    }

    /// Training has no automatic part: it always asks first.
    fn skip_cells_without_part(self) {
        if self.turn.get_untracked().and_then(|i| ORDER.get(i)) == Some(&Step::Training) {
            self.finish(Step::Training, Outcome::Skipped(Skip::Training));
        }
    }

    /// A cell's part in "Run all": on its turn `run()` starts it (or says why it cannot run
    /// now); the turn passes on when `done` (the cell's count of finished runs) grows.
    pub fn take_part(self, step: Step, run: impl Fn() -> Result<(), Skip> + 'static, done: Signal<u32>) {
        let index = ORDER.iter().position(|s| *s == step);
        let waiting = StoredValue::new(None::<u32>);
        Effect::new(move |_| {
            let turn = self.turn.get();
            let finished = done.get();
            if turn.is_none() || turn != index {
                waiting.set_value(None);
                return;
            }
            match waiting.get_value() {
                None => match untrack(&run) {
                    Ok(()) => waiting.set_value(Some(finished)),
                    Err(skip) => self.finish(step, Outcome::Skipped(skip)),
                },
                Some(before) if finished > before => {
                    waiting.set_value(None);
                    self.finish(step, Outcome::Ran);
                }
                Some(_) => {}
            }
        });
    }
}

impl Default for RunAll {
    fn default() -> Self {
        Self::new()
    }
}

/// What the last "Run all" did, with a link to each cell it left out.
#[component]
pub fn RunAllReport() -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    let run_all = expect_context::<RunAll>();
    move || {
        let report = run_all.report.get();
        if report.is_empty() {
            return None;
        }
        let lang = lang.get();
        let t = lang.explore();
        let ran: Vec<Step> = report.iter().filter(|(_, o)| *o == Outcome::Ran).map(|(s, _)| *s).collect();
        let skipped: Vec<(Step, Skip)> = report
            .iter()
            .filter_map(|(s, o)| match o {
                Outcome::Skipped(k) => Some((*s, *k)),
                Outcome::Ran => None,
            })
            .collect();
        let ids = |steps: &mut dyn Iterator<Item = Step>| steps.map(Step::id).collect::<Vec<_>>().join(",");
        let (ran_ids, skipped_ids) = (ids(&mut ran.iter().copied()), ids(&mut skipped.iter().map(|(s, _)| *s)));
        Some(view! {
            <div class="run-all-report" role="status" data-testid="run-all-report"
                data-ran=ran_ids data-skipped=skipped_ids
                data-done=(!run_all.running()).to_string()>
                <p>
                    <strong>{if run_all.running() { t.run_all_running } else { t.run_all_ran }}</strong>" "
                    {ran.iter().map(|s| s.name(lang)).collect::<Vec<_>>().join(", ")}
                </p>
                {(!skipped.is_empty()).then(|| view! {
                    <p>
                        <strong>{t.run_all_skipped}</strong>" "
                        {skipped.into_iter().enumerate().map(|(i, (s, k))| view! {
                            {(i > 0).then_some("; ")}
                            <a href=format!("#{}", s.id())>{s.name(lang)}</a>
                            {format!(" ({})", k.reason(lang))}
                        }).collect_view()}
                    </p>
                })}
            </div>
        })
    }
}

/// "Last ran at 10:41:03": the local clock time when `done` last grew (nothing before).
#[component]
pub fn LastRan(done: Signal<u32>) -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    let at = RwSignal::new(None::<f64>);
    Effect::new(move |previous: Option<u32>| {
        let n = done.get();
        if previous.is_some_and(|p| p != n) {
            at.set(Some(js_sys::Date::now()));
        }
        n
    });
    move || {
        at.get().map(|ms| {
            let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
            let clock = format!("{:02}:{:02}:{:02}", date.get_hours(), date.get_minutes(), date.get_seconds());
            view! { <span class="last-ran note" data-testid="last-ran" data-time=ms.to_string()>{format!("{} {clock}", lang.get().explore().last_ran)}</span> }
        })
    }
}
