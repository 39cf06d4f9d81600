//! "Predict, then reveal" (issue 27): an exercise first asks for the student's prediction (a
//! choice or a number), then shows its cell and says how close the guess was. The question and
//! its answer are `exercises::predict`'s; this file only renders them and keeps the guess.

use leptos::html::Div;
use leptos::prelude::*;

use super::state::Shared;
use crate::exercises::Exercise;
use crate::exercises::predict::{self, Answer, Band, GuessError, Question, Revealed, Saved};
use crate::i18n::{Lang, predict as tx};

/// Why the answer is on screen.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shown {
    Checked,
    Skipped,
    /// A share link opened this exercise: the person sharing it has seen the answer.
    Shared,
}

/// The saved prediction of `exercise`; the default when there is none or storage is off.
///
/// Read and written here directly, without `storage`'s notices: those name what was lost by its
/// `Stored` kind, and a storage that is off or full is already reported by the language setting
/// the page reads and writes first. A guess that cannot be kept is a convenience lost, not data.
fn load(exercise: Exercise) -> Saved {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(&predict::storage_key(exercise)).ok().flatten())
        .and_then(|json| predict::parse_saved(exercise, &json))
        .unwrap_or_default()
}

fn save(exercise: Exercise, saved: &Saved) {
    let Ok(json) = serde_json::to_string(saved) else { return };
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(&predict::storage_key(exercise), &json);
    }
}

/// Moves the keyboard focus to `node` once it is on screen (after the click that revealed it).
fn focus_later(node: NodeRef<Div>) {
    request_animation_frame(move || {
        if let Some(el) = node.get_untracked() {
            let _ = el.focus();
        }
    });
}

/// The prediction step of `exercise`, then `children` (the cell's results) once the student
/// has checked a prediction or skipped it.
#[component]
pub(super) fn Predict(exercise: Exercise, children: Children) -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    let id = exercise.id();
    let question = predict::question(exercise);
    let answer = StoredValue::new(predict::answer(exercise));
    let saved = RwSignal::new(load(exercise));
    // A share link naming this exercise opens its answer (until "Hide the answer").
    let from_link = RwSignal::new(use_context::<Shared>().is_some_and(|s| s.0.exercise == Some(exercise)));
    let error = RwSignal::new(None::<GuessError>);
    let feedback_ref = NodeRef::<Div>::new();
    let first_control = NodeRef::<leptos::html::Input>::new();

    let shown = Memo::new(move |_| match saved.with(|s| s.revealed) {
        Some(Revealed::Checked) => Some(Shown::Checked),
        Some(Revealed::Skipped) => Some(Shown::Skipped),
        None if from_link.get() => Some(Shown::Shared),
        None => None,
    });
    let update = move |f: &dyn Fn(&mut Saved)| {
        saved.update(|s| f(s));
        saved.with_untracked(|s| save(exercise, s));
    };
    let set_guess = move |text: String| {
        error.set(None);
        update(&|s| s.guess = text.chars().take(predict::MAX_GUESS).collect());
    };
    let check = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let judged = saved
            .with_untracked(|s| predict::parse_guess(question, &s.guess))
            .and_then(|guess| answer.with_value(|a| a.as_ref().and_then(|a| predict::judge(a, guess))).map(|_| ()).ok_or(GuessError::NotAnOption));
        match judged {
            Ok(()) => {
                update(&|s| s.revealed = Some(Revealed::Checked));
                focus_later(feedback_ref);
            }
            Err(e) => {
                error.set(Some(e));
                if let Some(el) = first_control.get_untracked() {
                    let _ = el.focus();
                }
            }
        }
    };
    let skip = move |_| {
        error.set(None);
        update(&|s| s.revealed = Some(Revealed::Skipped));
        focus_later(feedback_ref);
    };
    let again = move |_| {
        from_link.set(false);
        update(&|s| s.revealed = None);
        request_animation_frame(move || {
            if let Some(el) = first_control.get_untracked() {
                let _ = el.focus();
            }
        });
    };

    // The choices: bands, or the book's blocks (exercise 4); none for a typed number.
    let options = move |lang: Lang| -> Vec<(String, String)> {
        match question {
            Question::Band { .. } => Band::ALL.into_iter().map(|b| (b.id().to_string(), tx::band_label(lang, b).to_string())).collect(),
            Question::BusiestBlock => answer.with_value(|a| match a {
                Some(Answer::BusiestBlock { blocks, .. }) => blocks.iter().map(|b| (b.index.to_string(), tx::block_option(lang, b))).collect(),
                _ => Vec::new(),
            }),
            Question::Ratio { .. } => Vec::new(),
        }
    };
    let answer_value = move || answer.with_value(|a| a.as_ref().map(Answer::value).unwrap_or_default());

    let control = move || {
        let lang = lang.get();
        let t = lang.predict();
        let revealed = move || shown.get().is_some();
        if let Question::Ratio { .. } = question {
            let hint = format!("{id}-predict-hint");
            return view! {
                <label class="field predict-number">
                    <span class="predict-question">{tx::question(lang, exercise)}</span>
                    <input type="text" inputmode="decimal" autocomplete="off" data-testid=format!("{id}-predict-input")
                        node_ref=first_control aria-describedby=hint.clone() aria-invalid=move || error.get().is_some().to_string()
                        prop:value=move || saved.with(|s| s.guess.clone()) readonly=revealed
                        on:input:target=move |ev| set_guess(ev.target().value())/>
                </label>
                <p class="note predict-hint" id=hint>{t.number_hint}</p>
            }
            .into_any();
        }
        let name = format!("{id}-predict");
        let items = options(lang)
            .into_iter()
            .enumerate()
            .map(|(i, (value, label))| {
                let (v1, v2, v3, v4) = (value.clone(), value.clone(), value.clone(), value.clone());
                let is_answer = Signal::derive(move || revealed() && answer_value() == v3);
                let is_guess = Signal::derive(move || shown.get() == Some(Shown::Checked) && saved.with(|s| s.guess == v4));
                let node = if i == 0 { first_control } else { NodeRef::new() };
                view! {
                    <label class="predict-option" class:is-answer=is_answer class:is-guess=is_guess>
                        <input type="radio" name=name.clone() value=value.clone() data-testid=format!("{id}-option") node_ref=node
                            prop:checked=move || saved.with(|s| s.guess == v1)
                            on:change=move |_| set_guess(v2.clone())/>
                        <span>{label}</span>
                        {move || is_guess.get().then(|| view! { <span class="predict-mark">{t.your_guess}</span> })}
                        {move || is_answer.get().then(|| view! { <span class="predict-mark is-answer" data-testid=format!("{id}-answer-mark")>{t.the_answer}</span> })}
                    </label>
                }
            })
            .collect_view();
        view! {
            <fieldset class="predict-options" disabled=revealed>
                <legend class="predict-question">{tx::question(lang, exercise)}</legend>
                {items}
            </fieldset>
        }
        .into_any()
    };

    let feedback = move || {
        let how = shown.get()?;
        let lang = lang.get();
        let t = lang.predict();
        answer.with_value(|a| {
            let a = a.as_ref()?;
            let (correct, lead) = match how {
                Shown::Skipped => ("skipped".to_string(), t.skipped.to_string()),
                Shown::Shared => ("skipped".to_string(), t.shared.to_string()),
                Shown::Checked => {
                    let guess = saved.with(|s| predict::parse_guess(question, &s.guess)).ok();
                    match guess.and_then(|g| predict::judge(a, g).map(|v| (g, v))) {
                        Some((g, v)) => (v.correct.to_string(), tx::verdict(lang, a, g, v)),
                        None => ("skipped".to_string(), t.skipped.to_string()),
                    }
                }
            };
            let (params, base_params) = a.compared().map_or((None, None), |c| (Some(c.params.to_string()), Some(c.base_params.to_string())));
            let flops = a.busiest().map(|b| b.flops.to_string());
            Some(view! {
                <div class="predict-feedback" data-testid=format!("{id}-feedback") data-correct=correct data-answer=a.value()
                    data-params=params data-base-params=base_params data-flops=flops tabindex="-1" node_ref=feedback_ref>
                    <p data-testid=format!("{id}-verdict")>{lead}</p>
                    <p data-testid=format!("{id}-statement")><strong>{tx::statement(lang, a)}</strong></p>
                    <p class="note" data-testid=format!("{id}-meaning")>{tx::meaning(lang, exercise, a)}</p>
                </div>
            })
        })
    };

    view! {
        <form class="predict" data-testid=format!("{id}-predict") on:submit=check>
            <p class="predict-kicker">{move || lang.get().predict().predict_first}</p>
            {control}
            {move || error.get().map(|e| view! {
                <p class="error" role="alert" data-testid=format!("{id}-predict-error")>{tx::guess_error(lang.get(), e, matches!(question, Question::Ratio { .. }))}</p>
            })}
            <div class="predict-actions">
                {move || {
                    let t = lang.get().predict();
                    if shown.get().is_none() {
                        view! {
                            <button type="submit" data-testid=format!("{id}-predict-submit")>{t.check}</button>
                            <button type="button" data-testid=format!("{id}-predict-skip") on:click=skip>{t.skip}</button>
                        }
                        .into_any()
                    } else {
                        view! { <button type="button" class="small" data-testid=format!("{id}-predict-again") on:click=again>{t.again}</button> }.into_any()
                    }
                }}
            </div>
        </form>
        {feedback}
        <div class="predict-answer" data-testid=format!("{id}-answer") hidden=move || shown.get().is_none()>
            {children()}
        </div>
    }
}
