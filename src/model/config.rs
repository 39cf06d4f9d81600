//! The one config type for the book's NiN and every variant: plain data (no Burn modules, no
//! analysis), so that `analysis` reads it and the model builds from it without a circle.

use burn::prelude::*;

/// One NiN block: a k x k convolution followed by "MLP" convolutions, each with a ReLU.
#[derive(Config, Debug, PartialEq)]
pub struct NinBlockConfig {
    /// Output channels of each convolution in order: the k x k one first, then each
    /// MLP convolution. The book's block is `[c, c, c]` (two 1x1 convs after the first).
    pub channels: Vec<usize>,
    /// Kernel side of the first convolution.
    pub kernel: usize,
    /// Stride of the first convolution.
    pub stride: usize,
    /// Zero padding on every side of the first convolution.
    pub padding: usize,
    /// Kernel side of the MLP convolutions: 1 in the book (exercise 2 tries 3). Odd sides
    /// get "same" padding so they keep the spatial size.
    #[config(default = 1)]
    pub mlp_kernel: usize,
}

impl NinBlockConfig {
    /// The book's `nin_block(out, k, s, p)`: one k x k conv and two 1x1 convs, all `out` wide.
    pub fn book(out_channels: usize, kernel: usize, stride: usize, padding: usize) -> Self {
        Self::new(vec![out_channels; 3], kernel, stride, padding)
    }

    /// Padding of the MLP convolutions, so odd kernels keep height and width.
    pub fn mlp_padding(&self) -> usize {
        self.mlp_kernel / 2
    }
}

/// One stage of the network body, in order.
#[derive(Config, Debug, PartialEq)]
pub enum StageConfig {
    /// A NiN block.
    Block(NinBlockConfig),
    /// Max pooling with a square window.
    MaxPool {
        /// Window side.
        kernel: usize,
        /// Stride (the book uses 3 with stride 2; Burn would default the stride to the kernel).
        stride: usize,
    },
    /// Dropout, active only while training on an autodiff device.
    Dropout {
        /// Probability of zeroing an activation.
        prob: f64,
    },
}

/// How the last feature map becomes class scores.
#[derive(Config, Debug, PartialEq)]
pub enum HeadConfig {
    /// The book's head: global average pooling to 1x1, then flatten. Works at any input size.
    GlobalAvgPool,
    /// Flatten the last map, then fully connected layers: `hidden` widths (each with ReLU and
    /// dropout 0.5, as VGG's 4096, 4096) and a last layer to the classes. Exercise 3 uses no
    /// hidden layer. The first layer's width depends on the map size, so the model is tied to
    /// this input height and width.
    FullyConnected {
        /// Input height the head is built for.
        input_height: usize,
        /// Input width the head is built for.
        input_width: usize,
        /// Widths of the hidden fully connected layers (empty: one linear layer).
        hidden: Vec<usize>,
    },
}

/// The one config type for the book's NiN and all its variants.
#[derive(Config, Debug, PartialEq)]
pub struct NinConfig {
    /// Channels of the input images (1 for Fashion-MNIST).
    #[config(default = 1)]
    pub input_channels: usize,
    /// Number of classes, i.e. logits per image.
    #[config(default = 10)]
    pub num_classes: usize,
    /// The body, in order.
    pub stages: Vec<StageConfig>,
    /// The head after the body.
    pub head: HeadConfig,
}

impl NinConfig {
    /// The chapter's model: AlexNet's kernel sizes and widths as NiN blocks, 3x3/2 max pooling,
    /// dropout 0.5, a last block with one channel per class, global average pooling.
    pub fn book() -> Self {
        Self::book_with_classes(10)
    }

    // region: nin-model
    /// The chapter's model with another number of classes.
    pub fn book_with_classes(num_classes: usize) -> Self {
        let pool = || StageConfig::MaxPool { kernel: 3, stride: 2 };
        Self::new(
            vec![
                StageConfig::Block(NinBlockConfig::book(96, 11, 4, 0)),
                pool(),
                StageConfig::Block(NinBlockConfig::book(256, 5, 1, 2)),
                pool(),
                StageConfig::Block(NinBlockConfig::book(384, 3, 1, 1)),
                pool(),
                StageConfig::Dropout { prob: 0.5 },
                StageConfig::Block(NinBlockConfig::book(num_classes, 3, 1, 1)),
            ],
            HeadConfig::GlobalAvgPool,
        )
        .with_num_classes(num_classes)
    }

    // endregion: nin-model

    /// A VGG network as in the book's VGG section (1 input channel, 224x224): for each stage
    /// `(convs, channels)` a block of 3x3 convolutions with padding 1 (a "block" whose inner
    /// kernel is 3) and a 2x2 max pool with stride 2, then fully connected 4096, 4096, classes.
    /// Used for the figure next to NiN and the parameter comparison of the introduction.
    pub fn vgg(stages: &[(usize, usize)], num_classes: usize) -> Self {
        let mut body = Vec::with_capacity(stages.len() * 2);
        for &(convs, channels) in stages {
            body.push(StageConfig::Block(NinBlockConfig::new(vec![channels; convs], 3, 1, 1).with_mlp_kernel(3)));
            body.push(StageConfig::MaxPool { kernel: 2, stride: 2 });
        }
        Self::new(body, HeadConfig::FullyConnected { input_height: 224, input_width: 224, hidden: vec![4096, 4096] }).with_num_classes(num_classes)
    }

    /// The same network with another head.
    pub fn with_head(mut self, head: HeadConfig) -> Self {
        self.head = head;
        self
    }
}

/// VGG-11's stages: (convolutions, channels) per block.
pub const VGG11: [(usize, usize); 5] = [(1, 64), (1, 128), (2, 256), (2, 512), (2, 512)];
/// VGG-16's stages.
pub const VGG16: [(usize, usize); 5] = [(2, 64), (2, 128), (3, 256), (3, 512), (3, 512)];
/// VGG-19's stages.
pub const VGG19: [(usize, usize); 5] = [(2, 64), (2, 128), (4, 256), (4, 512), (4, 512)];
