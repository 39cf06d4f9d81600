//! Each exercise's change written into the book's PyTorch code, so that a student can open it
//! in the model cell ("Open in the code editor") and read, run, change and train it there. The
//! tests check that every edited program builds exactly the model the exercise cell compares.

use super::Exercise;
use crate::model::{VGG11, VGG16, VGG19};

const MLP_PAIR: &str = "        nn.LazyConv2d(out_channels, kernel_size=1), nn.ReLU(),\n";
const LAST_PAIR: &str = "        nn.LazyConv2d(out_channels, kernel_size=1), nn.ReLU())";
const RETURN: &str = "    return nn.Sequential(";
const GAP_HEAD: &str =
    "            nin_block(num_classes, kernel_size=3, strides=1, padding=1),\n            nn.AdaptiveAvgPool2d((1, 1)),\n            nn.Flatten())";

/// The book's code with `exercise`'s variant `key` written in, where the model cell can hold it
/// (`None` for the book's own model). Exercise 5's last block is written out as an
/// `nn.Sequential`, since `nin_block` makes every 1x1 layer as wide as the first convolution.
/// Exercise 6's nets are written out from their VGG layouts ([`family_code`]).
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
        (Exercise::Reduction, "gradual") => book.replacen(
            GAP_HEAD,
            "            nn.Sequential(  # the last block narrows gradually: 384 -> 128 -> 32 -> 10 channels\n                nn.LazyConv2d(128, kernel_size=3, padding=1), nn.ReLU(),\n                nn.LazyConv2d(32, kernel_size=1), nn.ReLU(),\n                nn.LazyConv2d(num_classes, kernel_size=1), nn.ReLU()),\n            nn.AdaptiveAvgPool2d((1, 1)),\n            nn.Flatten())",
            1,
        ),
        (Exercise::Family, "nin11") => family_code(11, &VGG11, Family::Nin),
        (Exercise::Family, "vgg11") => family_code(11, &VGG11, Family::Vgg),
        (Exercise::Family, "nin16") => family_code(16, &VGG16, Family::Nin),
        (Exercise::Family, "vgg16") => family_code(16, &VGG16, Family::Vgg),
        (Exercise::Family, "nin19") => family_code(19, &VGG19, Family::Nin),
        (Exercise::Family, "vgg19") => family_code(19, &VGG19, Family::Vgg),
        _ => return None,
    };
    (code != book).then_some(code)
}

/// Which net of exercise 6 a VGG layout is written as.
#[derive(Clone, Copy, PartialEq)]
enum Family {
    /// VGG itself: n 3x3 convolutions per stage, then the dense head (4096, 4096, classes).
    Vgg,
    /// Its NiN member ([`super::nin_from_vgg`]): a 3x3 convolution and n 1x1 per stage, then
    /// dropout, the book's last block and global average pooling.
    Nin,
}

/// A net of exercise 6 as PyTorch the model cell reads. The cell has no `for` loop and no
/// lists, so the book's `vgg_block(num_convs, out_channels)` becomes one function per number of
/// convolutions the layout uses, and the stages are written out. The 2x2 max pool follows each
/// block instead of ending it (as in the book's VGG): the same layers, and a net the training
/// cell can train.
fn family_code(depth: usize, layout: &[(usize, usize)], family: Family) -> String {
    let (name, block, conv) = match family {
        Family::Vgg => ("VGG", "vgg_block", "nn.LazyConv2d(out_channels, kernel_size=3, padding=1), nn.ReLU()"),
        Family::Nin => ("NiN", "nin_block", "nn.LazyConv2d(out_channels, kernel_size=1), nn.ReLU()"),
    };
    let arch = layout.iter().map(|(n, c)| format!("({n}, {c})")).collect::<Vec<_>>().join(", ");
    let mut code = match family {
        Family::Vgg => format!(
            "# VGG-{depth} (d2l.ai, section 8.2) on the stages ({arch}).\n\
             # This cell has no for loop, so the book's vgg_block(num_convs, out_channels) is one function\n\
             # per number of 3x3 convolutions, and the 2x2 max pool follows each block instead of ending it.\n"
        ),
        Family::Nin => format!(
            "# NiN-{depth}: VGG-{depth}'s stages ({arch}) as NiN blocks:\n\
             # a 3x3 convolution, then as many 1x1 as the stage has 3x3 in VGG, then VGG's 2x2 max pool;\n\
             # at the end, dropout, the book's last block (one channel per class), global average pooling.\n"
        ),
    };
    let mut counts: Vec<usize> = layout.iter().map(|&(n, _)| n).collect();
    if family == Family::Nin {
        counts.push(2);
    }
    counts.sort_unstable();
    counts.dedup();
    for n in counts {
        let count = ["no", "one", "two", "three", "four"].get(n).map_or_else(|| n.to_string(), |w| w.to_string());
        let what = match family {
            Family::Vgg => format!("{count} 3x3 convolution{}", if n == 1 { "" } else { "s" }),
            Family::Nin => format!("a 3x3 convolution, then {count} 1x1"),
        };
        code += &format!("\ndef {block}_{n}(out_channels):  # {what}\n    return nn.Sequential(\n");
        let first = if family == Family::Nin { "nn.LazyConv2d(out_channels, kernel_size=3, padding=1), nn.ReLU()" } else { conv };
        let lines: Vec<&str> = std::iter::once(first).chain(std::iter::repeat_n(conv, if family == Family::Nin { n } else { n - 1 })).collect();
        code += &format!("        {})\n", lines.join(",\n        "));
    }
    code += &format!(
        "\nclass {name}(d2l.Classifier):\n    def __init__(self, lr=0.1, num_classes=10):\n        super().__init__()\n        \
         self.save_hyperparameters()\n        self.net = nn.Sequential(\n"
    );
    for &(n, c) in layout {
        code += &format!("            {block}_{n}({c}), nn.MaxPool2d(kernel_size=2, stride=2),\n");
    }
    code += match family {
        Family::Vgg => {
            "            nn.Flatten(),\n            nn.LazyLinear(4096), nn.ReLU(), nn.Dropout(0.5),\n            \
             nn.LazyLinear(4096), nn.ReLU(), nn.Dropout(0.5),\n            nn.LazyLinear(num_classes))\n"
        }
        Family::Nin => {
            "            nn.Dropout(0.5),\n            nin_block_2(num_classes),\n            nn.AdaptiveAvgPool2d((1, 1)),\n            nn.Flatten())\n"
        }
    };
    code += &format!("        self.net.apply(d2l.init_cnn)\n\n{name}().layer_summary((1, 1, 224, 224))\n");
    code
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exercises::variants;
    use crate::model::from_code::nin_config;

    #[test]
    fn every_edit_builds_the_model_its_exercise_compares() {
        let mut edited = 0;
        // Exercise 6's nets are checked below.
        for exercise in Exercise::ALL.into_iter().filter(|&e| e != Exercise::Family) {
            for v in variants(exercise) {
                let Some(code) = edited_code(exercise, v.key) else { continue };
                let (net, _) = nin_code::analyze(&code).unwrap_or_else(|e| panic!("{}: {e}\n{code}", v.key));
                assert_eq!(nin_config(&net), Ok(v.config.clone()), "{}", v.key);
                edited += 1;
            }
        }
        assert_eq!(edited, 6, "mlp1, mlp3, kernel3, the two FC heads and the gradual last block");
        assert_eq!(edited_code(Exercise::MlpDepth, "book"), None);
        assert_eq!(edited_code(Exercise::Family, "book"), None);
    }

    /// Exercise 6: every net the comparison table shows has a program whose summary gives the
    /// table's parameters and last body map (the VGGs' one-convolution stages read back with
    /// another inner kernel, which a block of one convolution does not use, so the configs
    /// differ there and the costs are compared).
    #[test]
    fn each_exercise_6_program_counts_what_its_table_row_counts() {
        use crate::exercises::costs;
        use crate::training::OptimizerKind;
        let keys: Vec<&str> = variants(Exercise::Family).iter().filter(|v| !v.baseline).map(|v| v.key).collect();
        assert_eq!(keys, ["nin11", "vgg11", "nin16", "vgg16", "nin19", "vgg19"]);
        for v in variants(Exercise::Family).into_iter().filter(|v| !v.baseline) {
            let code = edited_code(Exercise::Family, v.key).unwrap_or_else(|| panic!("{} has no program", v.key));
            let (net, summary) = nin_code::analyze(&code).unwrap_or_else(|e| panic!("{}: {e}\n{code}", v.key));
            let expected = costs(&v.config, 224, 1, OptimizerKind::Sgd).unwrap();
            assert_eq!(summary.total_params, expected.params, "{}", v.key);
            let body = summary.rows.iter().take_while(|r| !matches!(r.name, "AdaptiveAvgPool2d" | "Flatten")).last().unwrap();
            assert_eq!(body.output.iter().map(|&d| d as u64).collect::<Vec<_>>(), expected.body_output, "{}", v.key);
            // And the training cell trains the same net.
            let config = nin_config(&net).unwrap_or_else(|e| panic!("{}: not trainable: {e:?}", v.key));
            assert_eq!(costs(&config, 224, 1, OptimizerKind::Sgd).unwrap(), expected, "{}", v.key);
            if v.key.starts_with("nin") {
                assert_eq!(config, v.config, "{}", v.key);
            }
        }
        // VGG-11 on one channel, by hand: convolutions 640 + 73,856 + 295,168 + 590,080 +
        // 1,180,160 + 3 x 2,359,808; dense 25,088 x 4,096 + 4,096 x 4,096 + 4,096 x 10 + biases.
        let (_, vgg11) = nin_code::analyze(&edited_code(Exercise::Family, "vgg11").unwrap()).unwrap();
        assert_eq!(vgg11.total_params, 9_219_328 + 119_586_826);
        assert_eq!(vgg11.rows.last().map(|r| r.output.clone()), Some(vec![1, 10]));
    }
}
