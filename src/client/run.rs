//! A job in Web Workers (training, or scoring trained weights) as the page sees it: a [`Run`]
//! handle and its [`Update`]s. The workers' messages arrive on a channel; [`Run::next`] waits
//! for the next one (woken by the message, no timer), sends the job once the lead and every
//! helper said they are ready, and turns each answer into an update. Dropping the handle ends
//! every worker of the job.

use std::cell::Cell;
use std::rc::Rc;

use futures::StreamExt;
use futures::channel::mpsc::{UnboundedReceiver, unbounded};

use crate::engine::BackendKind;
use crate::model::NinConfig;
use crate::training::TrainSettings;
use crate::training::metrics::TestReport;
use crate::training::session::{Control, Ended, Event};
use crate::worker::host::{self, HelperWorker, Incoming, RunWorker};
use crate::worker::{FromBuffers, FromRun, ScoringDataRef, ToHelper, ToRun, TrainingDataRef, WeightsRecord, WorkerFailure};

/// What a job does, with the data it needs (borrowed until it is sent).
pub enum Job<'a> {
    /// Train `config` with `settings`, then score the test images.
    Train { config: NinConfig, settings: TrainSettings, data: TrainingDataRef<'a> },
    /// Score the test images with trained weights.
    Score { config: NinConfig, settings: TrainSettings, data: ScoringDataRef<'a> },
}

/// What the page hears of a job, in order. [`Update::Ended`] or [`Update::Failed`] is the last.
#[derive(Debug)]
pub enum Update {
    /// A stage, or the curves and progress so far.
    Event(Event),
    /// The trained weights (a Burn record), when training ended (finished or stopped).
    Weights(WeightsRecord),
    /// The test set scored.
    Report {
        report: TestReport,
        images: usize,
    },
    Ended(Ended),
    Failed(WorkerFailure),
}

/// What the job's workers said, as the channel carries it.
enum Signal {
    Ready,
    Answer(FromRun, Vec<Vec<u8>>),
    Failed(WorkerFailure),
}

/// A running job: its lead worker, its helper workers (CPU only), and their messages.
pub struct Run<'a> {
    backend: BackendKind,
    lead: Rc<RunWorker>,
    helpers: Vec<HelperWorker>,
    signals: UnboundedReceiver<Signal>,
    ready: usize,
    /// The job until it is sent.
    pending: Option<Job<'a>>,
    controls: Rc<Controls>,
    ended: bool,
}

/// The control the page asked for last, and whether the job has been sent to take it.
#[derive(Default)]
struct Controls {
    last: Cell<Option<Control>>,
    sent: Cell<bool>,
}

/// Pauses, resumes or stops a [`Run`] from anywhere on the page (a button, the tab hiding).
#[derive(Clone)]
pub struct Controller {
    lead: Rc<RunWorker>,
    controls: Rc<Controls>,
}

impl Controller {
    /// Sends `control` now if the job has started, else with the job.
    pub fn set(&self, control: Control) -> Result<(), WorkerFailure> {
        self.controls.last.set(Some(control));
        if self.controls.sent.get() { self.lead.send(ToRun::Control(control), &(), &[]) } else { Ok(()) }
    }
}

impl<'a> Run<'a> {
    /// Starts the workers for `job` on `backend`: the lead, and on the CPU `helpers` more that
    /// train (or score) data-parallel with it over their own `MessagePort`s
    /// (`crate::worker::replica`). The job is sent by [`Self::next`].
    pub fn start(backend: BackendKind, job: Job<'a>, helpers: usize) -> Result<Self, WorkerFailure> {
        let (tx, signals) = unbounded();
        let lead_tx = tx.clone();
        let lead = RunWorker::spawn(backend, move |m| {
            let _ = lead_tx.unbounded_send(match m {
                Ok(Incoming::Ready) => Signal::Ready,
                Ok(Incoming::Message(answer, buffers)) => Signal::Answer(answer, buffers),
                Err(failure) => Signal::Failed(failure),
            });
        })?;
        let helpers = if backend == BackendKind::Cpu { helpers } else { 0 };
        let helpers = (0..helpers)
            .map(|_| {
                let tx = tx.clone();
                HelperWorker::spawn(BackendKind::Cpu, move |m| {
                    let _ = tx.unbounded_send(match m {
                        Ok(Incoming::Ready) => Signal::Ready,
                        Ok(Incoming::Message(never, _)) => match never {},
                        Err(failure) => Signal::Failed(failure),
                    });
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Run { backend, lead: Rc::new(lead), helpers, signals, ready: 0, pending: Some(job), controls: Rc::default(), ended: false })
    }

    /// The run's pause/resume/stop handle.
    pub fn controller(&self) -> Controller {
        Controller { lead: self.lead.clone(), controls: self.controls.clone() }
    }

    /// The next update; `None` after the last.
    pub async fn next(&mut self) -> Option<Update> {
        while !self.ended {
            let update = match self.signals.next().await? {
                Signal::Ready => {
                    self.ready += 1;
                    match self.send_when_all_ready() {
                        Ok(()) => continue,
                        Err(e) => Update::Failed(e),
                    }
                }
                Signal::Answer(FromRun::Event(e), _) => Update::Event(e),
                Signal::Answer(FromRun::Weights, buffers) => WeightsRecord::from_buffers(buffers).map_or_else(Update::Failed, Update::Weights),
                Signal::Answer(FromRun::Report { report, images }, _) => Update::Report { report, images },
                Signal::Answer(FromRun::Ended(ended), _) => Update::Ended(ended),
                Signal::Answer(FromRun::Measured { .. }, _) => Update::Failed(WorkerFailure::Protocol("a run's worker sent a measurement".into())),
                Signal::Failed(failure) => Update::Failed(failure),
            };
            self.ended = matches!(update, Update::Ended(_) | Update::Failed(_));
            return Some(update);
        }
        None
    }

    /// Sends the job once the lead and every helper are listening: each helper gets its share
    /// of the job and one end of a new channel, the lead the job and the other ends.
    fn send_when_all_ready(&mut self) -> Result<(), WorkerFailure> {
        if self.ready < 1 + self.helpers.len() {
            return Ok(());
        }
        let Some(job) = self.pending.take() else { return Ok(()) };
        let mut lead_ports = Vec::with_capacity(self.helpers.len());
        for (i, helper) in self.helpers.iter().enumerate() {
            let (lead_end, helper_end) = host::channel()?;
            match &job {
                Job::Train { config, settings, data } => {
                    helper.send(ToHelper::Train { config: config.clone(), settings: settings.clone(), rank: i as u64 + 1 }, data, &[helper_end])?
                }
                Job::Score { config, settings, data } => {
                    helper.send(ToHelper::Score { config: config.clone(), settings: settings.clone() }, data, &[helper_end])?
                }
            }
            lead_ports.push(lead_end);
        }
        let backend = self.backend;
        match job {
            Job::Train { config, settings, data } => self.lead.send(ToRun::Train { config, settings, backend }, &data, &lead_ports)?,
            Job::Score { config, settings, data } => self.lead.send(ToRun::Score { config, settings, backend }, &data, &lead_ports)?,
        }
        self.controls.sent.set(true);
        match self.controls.last.get() {
            Some(control) if control != Control::Run => self.lead.send(ToRun::Control(control), &(), &[]),
            _ => Ok(()),
        }
    }
}

/// One training step of `config` with `settings` in a fresh CPU worker (exercise 4): how many
/// bytes its WebAssembly memory grew.
pub async fn measure_step(config: NinConfig, settings: TrainSettings) -> Result<u64, WorkerFailure> {
    let (tx, mut answers) = unbounded();
    let worker = RunWorker::spawn(BackendKind::Cpu, move |m| {
        let _ = tx.unbounded_send(m);
    })?;
    let mut job = Some(ToRun::MeasureStep { config, settings });
    while let Some(answer) = answers.next().await {
        match answer? {
            Incoming::Ready => {
                if let Some(job) = job.take() {
                    worker.send(job, &(), &[])?;
                }
            }
            Incoming::Message(FromRun::Measured { before, after }, _) => return Ok(after.saturating_sub(before)),
            Incoming::Message(other, _) => return Err(WorkerFailure::Protocol(format!("a measuring worker sent {other:?}"))),
        }
    }
    Err(WorkerFailure::Crashed("the measuring worker ended without an answer".into()))
}
