//! Pure metrics over logits read back to the host: loss, accuracy, confusion matrix, and the
//! diagnostics that explain a plateau at chance (dead logits, how little the logits depend on
//! the image).

use serde::{Deserialize, Serialize};

/// Loss and accuracy of a set of images, plus the plateau diagnostics. Saved with runs: a
/// field missing from saved JSON takes its zero value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EvalMetrics {
    pub images: usize,
    /// Mean cross-entropy.
    pub loss: f64,
    /// Share of images whose arg-max logit is the label.
    pub accuracy: f64,
    /// Classes whose logit is exactly zero for every image: with the global-average-pool head
    /// the logit is a mean of ReLU outputs, so all of those ReLUs are dead for this data.
    pub dead_logits: usize,
    /// Mean over classes of the standard deviation of the logit across images: the part of
    /// the logits that depends on the image.
    pub logit_spread: f64,
    /// Mean over classes of |mean logit|: the part that is the same for every image.
    pub logit_offset: f64,
}

/// Computes [`EvalMetrics`] from row-major `[images, classes]` logits.
///
/// Returns `None` for no images, a length that is not a multiple of `classes`, a label out of
/// range, or a non-finite logit (a diverged run is reported as such by the caller).
pub fn eval_metrics(logits: &[f32], labels: &[u8], classes: usize) -> Option<EvalMetrics> {
    let n = labels.len();
    if n == 0 || classes == 0 || logits.len() != n * classes || logits.iter().any(|x| !x.is_finite()) {
        return None;
    }
    let mut loss = 0.0;
    let mut correct = 0usize;
    for (row, &label) in logits.chunks_exact(classes).zip(labels) {
        let label = label as usize;
        if label >= classes {
            return None;
        }
        let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64;
        let log_sum = row.iter().map(|&x| (x as f64 - max).exp()).sum::<f64>().ln() + max;
        loss += log_sum - row[label] as f64;
        if argmax(row) == label {
            correct += 1;
        }
    }
    let mut dead = 0;
    let (mut spread, mut offset) = (0.0, 0.0);
    for c in 0..classes {
        let column = || logits.iter().skip(c).step_by(classes).map(|&x| x as f64);
        if column().all(|x| x == 0.0) {
            dead += 1;
        }
        let mean = column().sum::<f64>() / n as f64;
        let var = column().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
        spread += var.sqrt();
        offset += mean.abs();
    }
    Some(EvalMetrics {
        images: n,
        loss: loss / n as f64,
        accuracy: correct as f64 / n as f64,
        dead_logits: dead,
        logit_spread: spread / classes as f64,
        logit_offset: offset / classes as f64,
    })
}

/// Index of the largest value (the first on ties).
pub fn argmax(row: &[f32]) -> usize {
    row.iter().enumerate().fold(0, |best, (i, &x)| if x > row[best] { i } else { best })
}

/// Predicted class per image.
pub fn predictions(logits: &[f32], classes: usize) -> Vec<u8> {
    logits.chunks_exact(classes.max(1)).map(|r| argmax(r) as u8).collect()
}

/// `matrix[true][predicted]` counts.
pub fn confusion(predicted: &[u8], labels: &[u8], classes: usize) -> Vec<Vec<u32>> {
    let mut m = vec![vec![0u32; classes]; classes];
    for (&p, &t) in predicted.iter().zip(labels) {
        if (p as usize) < classes && (t as usize) < classes {
            m[t as usize][p as usize] += 1;
        }
    }
    m
}

/// Accuracy per true class (`None` for a class with no images).
pub fn per_class_accuracy(matrix: &[Vec<u32>]) -> Vec<Option<f64>> {
    matrix
        .iter()
        .enumerate()
        .map(|(c, row)| {
            let total: u32 = row.iter().sum();
            (total > 0).then(|| row[c] as f64 / total as f64)
        })
        .collect()
}

/// Everything the page shows about a scored test set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestReport {
    pub metrics: EvalMetrics,
    /// `confusion[true][predicted]`.
    pub confusion: Vec<Vec<u32>>,
    pub per_class: Vec<Option<f64>>,
    /// Misclassified images: `(position in the scored list, true class, predicted class)`.
    pub wrong: Vec<(usize, u8, u8)>,
}

/// Scores a test set from its logits; `None` when the logits cannot be scored.
pub fn test_report(logits: &[f32], labels: &[u8], classes: usize) -> Option<TestReport> {
    let metrics = eval_metrics(logits, labels, classes)?;
    let predicted = predictions(logits, classes);
    let confusion = confusion(&predicted, labels, classes);
    let per_class = per_class_accuracy(&confusion);
    let wrong = predicted.iter().zip(labels).enumerate().filter(|(_, (p, t))| p != t).map(|(i, (&p, &t))| (i, t, p)).collect();
    Some(TestReport { metrics, confusion, per_class, wrong })
}

/// The softmax of one row of logits.
pub fn softmax(row: &[f32]) -> Vec<f64> {
    let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64;
    let exps: Vec<f64> = row.iter().map(|&x| (x as f64 - max).exp()).collect();
    let sum: f64 = exps.iter().sum();
    exps.into_iter().map(|e| e / sum).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_logits_give_ln10_and_the_dead_count() {
        // Two images, three classes; class 2 is zero for both.
        let logits = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
        let m = eval_metrics(&logits, &[0, 1], 3).unwrap();
        assert!((m.loss - 3f64.ln()).abs() < 1e-12);
        assert_eq!(m.dead_logits, 3);
        assert_eq!(m.logit_spread, 0.0);
    }

    #[test]
    fn loss_accuracy_spread_offset_by_hand() {
        // Image 0: logits (2, 0), label 0 -> right; image 1: (0, 1), label 0 -> wrong.
        let logits = [2.0, 0.0, 0.0, 1.0];
        let m = eval_metrics(&logits, &[0, 0], 2).unwrap();
        let l0 = (2f64.exp() + 1.0).ln() - 2.0;
        let l1 = (1.0 + 1f64.exp()).ln() - 0.0;
        assert!((m.loss - (l0 + l1) / 2.0).abs() < 1e-12);
        assert_eq!(m.accuracy, 0.5);
        assert_eq!(m.dead_logits, 0);
        // Class 0: values 2, 0 -> mean 1, std 1; class 1: 0, 1 -> mean 0.5, std 0.5.
        assert!((m.logit_spread - 0.75).abs() < 1e-12);
        assert!((m.logit_offset - 0.75).abs() < 1e-12);
    }

    #[test]
    fn malformed_input_is_none() {
        assert!(eval_metrics(&[], &[], 10).is_none());
        assert!(eval_metrics(&[0.0; 5], &[0], 10).is_none());
        assert!(eval_metrics(&[0.0; 10], &[10], 10).is_none());
        assert!(eval_metrics(&[f32::NAN; 10], &[0], 10).is_none());
    }

    #[test]
    fn confusion_and_per_class() {
        let m = confusion(&[0, 1, 1, 2], &[0, 1, 2, 2], 3);
        assert_eq!(m, vec![vec![1, 0, 0], vec![0, 1, 0], vec![0, 1, 1]]);
        assert_eq!(per_class_accuracy(&m), vec![Some(1.0), Some(1.0), Some(0.5)]);
        assert_eq!(per_class_accuracy(&confusion(&[], &[], 2)), vec![None, None]);
        assert_eq!(predictions(&[0.1, 0.9, 0.5, 0.5], 2), vec![1, 0]);
        let r = test_report(&[0.1, 0.9, 0.5, 0.4, 0.0, 1.0], &[1, 1, 1], 2).unwrap();
        assert_eq!(r.wrong, vec![(1, 1, 0)]);
        assert_eq!(r.confusion, vec![vec![0, 0], vec![1, 2]]);
        assert!((r.metrics.accuracy - 2.0 / 3.0).abs() < 1e-12);
        let p = softmax(&[0.0, 0.0]);
        assert_eq!(p, vec![0.5, 0.5]);
    }
}
