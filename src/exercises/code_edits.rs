//! Each exercise's change written into the book's PyTorch code, so that a student can open it
//! in the model cell ("Open in the code editor") and read, run, change and train it there. The
//! tests check that every edited program builds exactly the model the exercise cell compares.

use super::Exercise;

const MLP_PAIR: &str = "        nn.LazyConv2d(out_channels, kernel_size=1), nn.ReLU(),\n";
const LAST_PAIR: &str = "        nn.LazyConv2d(out_channels, kernel_size=1), nn.ReLU())";
const RETURN: &str = "    return nn.Sequential(";
const GAP_HEAD: &str =
    "            nin_block(num_classes, kernel_size=3, strides=1, padding=1),\n            nn.AdaptiveAvgPool2d((1, 1)),\n            nn.Flatten())";

/// The book's code with `exercise`'s variant `key` written in, where the model cell can hold it
/// (`None` for the book's own model and for variants it cannot: exercise 5's widths, the VGG
/// family, which the exercise cells build from their configs).
pub fn edited_code(exercise: Exercise, key: &str) -> Option<String> {
    let book = nin_code::BOOK_CODE;
    let code = match (exercise, key) {
        (Exercise::MlpDepth, "mlp1") => book.replacen(MLP_PAIR, "", 1).replacen(RETURN, &format!("{RETURN}  # one 1x1 convolution per block"), 1),
        (Exercise::MlpDepth, "mlp3") => {
            book.replacen(LAST_PAIR, &format!("{MLP_PAIR}{LAST_PAIR}"), 1).replacen(RETURN, &format!("{RETURN}  # three 1x1 convolutions per block"), 1)
        }
        (Exercise::MlpKernel, "kernel3") => {
            book.replace("kernel_size=1)", "kernel_size=3, padding=1)").replacen(RETURN, &format!("{RETURN}  # 3x3 convolutions (padding 1) instead of 1x1"), 1)
        }
        (Exercise::Head, "fc_last_block") => book.replacen(
            GAP_HEAD,
            "            nin_block(num_classes, kernel_size=3, strides=1, padding=1),\n            nn.Flatten(), nn.LazyLinear(num_classes))  # a fully connected head instead of global average pooling",
            1,
        ),
        (Exercise::Head, "fc_no_last_block") => book.replacen(
            GAP_HEAD,
            "            nn.Flatten(), nn.LazyLinear(num_classes))  # no last block: a fully connected head on 384 x 5 x 5",
            1,
        ),
        _ => return None,
    };
    (code != book).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exercises::variants;
    use crate::model::from_code::nin_config;

    #[test]
    fn every_edit_builds_the_model_its_exercise_compares() {
        let mut edited = 0;
        for exercise in Exercise::ALL {
            for v in variants(exercise) {
                let Some(code) = edited_code(exercise, v.key) else { continue };
                let (net, _) = nin_code::analyze(&code).unwrap_or_else(|e| panic!("{}: {e}\n{code}", v.key));
                assert_eq!(nin_config(&net), Ok(v.config.clone()), "{}", v.key);
                edited += 1;
            }
        }
        assert_eq!(edited, 5, "mlp1, mlp3, kernel3 and the two FC heads");
        assert_eq!(edited_code(Exercise::MlpDepth, "book"), None);
    }
}
