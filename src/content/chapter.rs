//! The chapter's reading text in English and Japanese, written for this project.
//! Inline markup inside paragraph strings: `code`, **bold**, and $math$ (plain-text math such
//! as $1\times1$ or $(h + 2p - k)/s + 1$ written with Unicode symbols like ×, ≥, →; no LaTeX macros
//! other than none at all — write math with Unicode characters only, e.g. $1×1$, $h′ = ⌊(h + 2p − k)/s⌋ + 1$).

/// One section of the chapter.
#[derive(Debug, Clone, Copy)]
pub struct SectionText {
    /// Anchor id, the same in both languages.
    pub id: &'static str,
    pub title: &'static str,
    /// Paragraphs before the section's cells.
    pub before_cells: &'static [&'static str],
    /// Paragraphs after the section's cells (may be empty).
    pub after_cells: &'static [&'static str],
}

/// One exercise.
#[derive(Debug, Clone, Copy)]
pub struct ExerciseText {
    pub number: u8,
    /// The question, in our words.
    pub question: &'static str,
    /// What the experiment on the page lets the student measure.
    pub experiment: &'static str,
}

/// The whole chapter in one language.
#[derive(Debug, Clone, Copy)]
pub struct ChapterText {
    pub title: &'static str,
    /// One-sentence subtitle under the title.
    pub subtitle: &'static str,
    /// introduction, nin-blocks, nin-model, training, summary, exercises — in this order.
    pub sections: [SectionText; 6],
    pub exercises: [ExerciseText; 6],
    /// Caption for the figure that draws VGG next to NiN (fig_nin).
    pub fig_nin_caption: &'static str,
    /// One sentence stating the source: the NiN section of Dive into Deep Learning and Lin, Chen & Yan (2013), arXiv:1312.4400; Fashion-MNIST by Zalando Research, MIT license.
    pub credits: &'static str,
}

/// Anchor ids of the sections, in page order; shared by both languages.
pub const SECTION_IDS: [&str; 6] = ["introduction", "nin-blocks", "nin-model", "training", "summary", "exercises"];

pub const EN: ChapterText = ChapterText {
    title: "Network in Network (NiN)",
    subtitle: "How $1×1$ convolutions and global average pooling let a convolutional network do without its costly fully connected layers.",
    sections: [
        SectionText {
            id: "introduction",
            title: "Introduction",
            before_cells: &[
                r#"LeNet, AlexNet and VGG are all built to the same plan. A stack of convolution and pooling stages first turns the image into a grid of spatial features; a few fully connected layers then take this representation and turn it into class scores. AlexNet and VGG improved on LeNet mainly by making both halves of the plan wider and deeper, not by changing the plan itself."#,
                r#"The plan has two weaknesses. The first is cost: the fully connected layers at the end hold most of the parameters. Even VGG-11, the smallest member of the VGG family, contains one weight matrix that needs about 400 MB of memory when it is stored in single precision (FP32). That is a real obstacle on phones and embedded hardware: a high-end phone today has at most about 8 GB of RAM, and when VGG was published an iPhone 4S had only 512 MB. The second weakness is that the network applies its fully connected nonlinear processing only at the very end. It would be tempting to insert fully connected layers earlier to make the network more expressive, but flattening a feature map in the middle of the network throws away its spatial layout, and such layers would need even more memory."#,
                r#"The **network in network** (NiN) design of Lin, Chen and Yan (2013) removes both weaknesses with one idea used in two places. First, **$1×1$ convolutions** place a small multilayer perceptron at every pixel: they add nonlinearity across the channel activations at each location without mixing different locations. Second, **global average pooling** reduces the last feature maps by averaging each channel over all positions, so that no large fully connected layer is needed at the end. The two ideas depend on each other. A plain average can act as the classifier only because the $1×1$ layers have already made the features at each location nonlinear and rich enough; without that added nonlinearity, global average pooling would not work."#,
            ],
            after_cells: &[],
        },
        SectionText {
            id: "nin-blocks",
            title: "NiN Blocks",
            before_cells: &[
                r#"Recall the shapes of the tensors involved. A convolutional layer reads and writes four-dimensional tensors whose axes are (example, channel, height, width). A fully connected layer works on two-dimensional tensors with axes (example, feature). To hand the output of the first to the second, the spatial axes must be flattened, and that is exactly the step that loses the spatial structure."#,
                r#"NiN avoids flattening by applying a fully connected layer separately at every spatial position, that is, at every (height, width) pair. At one pixel, the channel values form a feature vector; multiplying it by a weight matrix and adding a bias is an ordinary dense layer. Using the same weights at every pixel is precisely a convolution with a $1×1$ kernel. So a $1×1$ convolution is a fully connected layer over the channels that treats each pixel independently and shares its weights across all pixels."#,
                r#"A **NiN block** is built on this observation. It begins with one ordinary convolution with a $k×k$ kernel and a given stride and padding; this layer looks at a neighbourhood and may change the resolution. Two $1×1$ convolutions follow, and each of the three convolutions is followed by a ReLU activation. Compare this with VGG, whose blocks repeat $3×3$ convolutions: every extra VGG layer mixes neighbouring pixels again, while the two extra layers of a NiN block mix only channels."#,
                r#"The figure below draws the two architectures side by side. On the VGG side you see blocks of $3×3$ convolution plus ReLU, repeated several times, each block closed by $2×2$ max pooling with stride 2; after the last block come three fully connected layers with 4096, 4096 and as many outputs as there are classes. On the NiN side each block is a $k×k$ convolution followed by two $1×1$ convolutions, each with its ReLU; the blocks are separated by $3×3$ max pooling with stride 2, the final block has one output channel per class, and a global average pooling layer ends the network. Look for two differences: what happens inside a block, and the absence of any giant fully connected layer at the top. The code cell below shows the source code of the block."#,
            ],
            after_cells: &[
                r#"In the code, all three convolutions of the book's block have the same number of output channels. The $1×1$ convolutions use stride 1 and no padding, so they leave height and width unchanged: inside a block, only the first convolution can change the spatial size."#,
            ],
        },
        SectionText {
            id: "nin-model",
            title: "The NiN Model",
            before_cells: &[
                r#"The complete NiN model borrows the sizes of its first convolutions from AlexNet. Its first three NiN blocks use kernels of $11×11$, $5×5$ and $3×3$, with 96, 256 and 384 output channels, the same widths as the corresponding AlexNet layers. The first block has stride 4 and no padding; the second and third have stride 1 with padding 2 and 1. Every block is followed by max pooling with a $3×3$ window and stride 2, which roughly halves height and width."#,
                r#"After the third pooling layer comes dropout with probability 0.5, and then a fourth NiN block with a $3×3$ kernel whose number of output channels equals the number of classes: 10 for Fashion-MNIST. Each of these 10 channels can be read as a spatial map of evidence for one class. Global average pooling averages every map down to a single number, and flattening the result gives the vector of 10 logits. There is no fully connected layer anywhere in the network. As in the book, the weights start from Xavier initialisation."#,
                r#"The reward is a far smaller model; the possible price is a longer training time. The cell below passes a single $224×224$ greyscale image, a tensor of shape $1×1×224×224$, through the network and lists the output shape of every layer."#,
            ],
            after_cells: &[
                r#"Read the table from top to bottom (we leave out the batch axis of size 1). The first block turns the $1×224×224$ input into $96×54×54$, and pooling reduces it to $96×26×26$. The second block keeps the size but widens it to $256×26×26$, pooled to $256×12×12$. The third block gives $384×12×12$, pooled to $384×5×5$. Dropout changes no shape. The last block produces $10×5×5$, global average pooling gives $10×1×1$, and flattening leaves a vector of length 10 per image."#,
                r#"Every spatial size follows from one rule: for a side of length $h$, kernel size $k$, padding $p$ and stride $s$, the output side is $h′ = ⌊(h + 2p − k)/s⌋ + 1$. For example, the first convolution gives $⌊(224 − 11)/4⌋ + 1 = 54$ and the first pooling layer $⌊(54 − 3)/2⌋ + 1 = 26$. Since global average pooling works for a map of any size, the model also accepts other input sizes, but not arbitrarily small ones. The smallest square input that works is $67×67$: it brings exactly a $3×3$ map to the last pooling layer, which turns it into $1×1$. With a smaller input, no complete window is left for the last pooling layer, and instead of running the model the page shows an error that names the layer where the pixels run out. Change the input size in the cell to see this."#,
                r#"The page counts the parameters from the tensors of the real model: 1,992,166 in total, about two million. Almost all of them sit in the convolutions of the second and third blocks; the final block, which takes the place of the classifier, has fewer than 35,000. Compare this with the single fully connected weight matrix of VGG-11 from the introduction, which on its own holds about 100 million weights."#,
            ],
        },
        SectionText {
            id: "training",
            title: "Training",
            before_cells: &[
                r#"We train NiN exactly as we trained AlexNet and VGG. The data set is Fashion-MNIST from Zalando Research: 60,000 training images and 10,000 test images, each a $28×28$ greyscale picture of a piece of clothing from one of 10 classes: T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag and Ankle boot. The images are enlarged to $224×224$ so that the AlexNet-sized kernels and strides fit them. The book uses minibatches of 128 images, stochastic gradient descent (SGD) with a learning rate of 0.05, and 10 epochs on a single GPU, and after every epoch it plots three curves: the training loss, the validation loss and the validation accuracy."#,
                r#"The training cell below runs this recipe and draws the same three curves while it learns."#,
            ],
            after_cells: &[
                r#"A word of honesty about training in a browser. The book's recipe means ten passes over 60,000 images of $224×224$ pixels. Even on a good GPU through WebGPU this takes a long time, and on a CPU it takes very much longer. The cell therefore offers a short preset that trains on less data for less time, so that you can watch the curves move within minutes; the book's full settings remain available if you have the time."#,
                r#"Do not be surprised if the loss hardly moves at first. With the book's Xavier initialisation and plain SGD, the training loss can stay at $ln 10 ≈ 2.303$ for a long stretch. That value is the cross-entropy of a uniform guess over 10 classes, and the accuracy meanwhile stays at the chance level of 10 %: the network gives almost the same scores to every image. Only after a while does the signal in the gradients become strong enough for the loss to start falling. With the Adam optimiser instead of SGD, learning usually gets going much sooner. If your run shows such a plateau, the page points it out and explains what is happening."#,
                r#"How good can NiN get, and why does a run in this page stop so far below it? The book's recipe (SGD at a learning rate of 0.05, batches of 128, images enlarged to $224×224$, 10 epochs) shows the network 600,000 training images and ends at a test accuracy of 86.7 % (training accuracy 87.4 %, training loss 0.336); on a V100 GPU at about 3,200 images per second that is roughly three minutes of computing. The model behind **Load the trained NiN** was trained by this project's own Burn code on two CPU cores: Adam with a stepwise decaying learning rate, batches of 64, $96×96$ images, 5 epochs over 55,000 images, 274,880 images seen in 69 minutes, and it reaches 90.1 % on the 10,000 test images (the page measures this again when you load it): above the book's figure after fewer than half as many images, mostly thanks to the optimiser and the decaying learning rate."#,
                r#"A short run in the page sees a few thousand images at most and usually ends between 20 % and 60 %. Three things make the difference. The first is how many images the network has seen: hundreds of thousands against a few thousand. The second is the optimiser: plain SGD at the book's rate can sit on the $ln 10$ plateau for a long time, while Adam starts learning within the first hundred steps, which is why our long run uses it. The third, the image size, matters least here: Fashion-MNIST's pictures are only $28×28$, so $224×224$ adds no detail, it only gives the $11×11$, stride-4 first layer more positions to look at and costs about seven times the arithmetic of a $96×96$ image."#,
            ],
        },
        SectionText {
            id: "summary",
            title: "Summary",
            before_cells: &[
                r#"NiN has dramatically fewer parameters than AlexNet and VGG. The main reason is that it needs no giant fully connected layers at the end. After its last stage it applies global average pooling over all image locations, so an expensive learned reduction is replaced by a plain average that has no parameters at all."#,
                r#"Researchers were surprised that this averaging did not cost accuracy. Averaging over a low-resolution representation with many channels has a further benefit: it makes the network's output more invariant to translations of the input."#,
                r#"NiN also uses fewer convolutions with wide kernels and puts $1×1$ convolutions in their place. This cuts the number of parameters further, while the $1×1$ layers still provide considerable nonlinearity across the channels at every location."#,
                r#"Both ideas, the $1×1$ convolution and global average pooling, had a strong influence on the design of the convolutional networks that came after NiN."#,
            ],
            after_cells: &[],
        },
        SectionText {
            id: "exercises",
            title: "Exercises",
            before_cells: &[
                r#"The exercises below restate the book's questions in our own words. Each one comes with an experiment cell that builds a variant of the model, changing one design decision at a time, and compares its shapes, costs or training behaviour with the book's NiN. Try to predict the answer before you run the experiment, then check your prediction against the numbers."#,
            ],
            after_cells: &[],
        },
    ],
    exercises: [
        ExerciseText {
            number: 1,
            question: r#"Every NiN block has two $1×1$ convolutions after its first convolution. Why two? What would change if a block had only one of them, or three?"#,
            experiment: r#"Build models with one, two or three $1×1$ convolutions per block and compare their parameter counts and the loss curves of short training runs."#,
        },
        ExerciseText {
            number: 2,
            question: r#"What changes if the $1×1$ convolutions inside each block are replaced by $3×3$ convolutions (with padding 1, so that height and width are kept)?"#,
            experiment: r#"Compare the parameters, the computation and the training curve of the $3×3$ variant with those of the book's model."#,
        },
        ExerciseText {
            number: 3,
            question: r#"Suppose global average pooling is replaced by a fully connected layer on the flattened last feature map. How do the training speed, the accuracy and the number of parameters change?"#,
            experiment: r#"Measure the parameter count, the time per batch and the accuracy with each of the two heads, and notice that the fully connected head ties the model to a single input size."#,
        },
        ExerciseText {
            number: 4,
            question: r#"How many resources does NiN need? Work out (a) its number of parameters, (b) its amount of computation, (c) the memory it needs during training and (d) the memory it needs for prediction."#,
            experiment: r#"The page tabulates parameters, FLOPs and memory layer by layer for an input size and batch size of your choice, so you can check your own calculation."#,
        },
        ExerciseText {
            number: 5,
            question: r#"The network goes from a $384×5×5$ representation to a $10×5×5$ one in a single block. What problems could such an abrupt reduction cause?"#,
            experiment: r#"Compare the book's model with a variant that reduces the channels gradually, in loss and accuracy as well as in parameters."#,
        },
        ExerciseText {
            number: 6,
            question: r#"VGG-11, VGG-16 and VGG-19 follow a few structural design rules. How would you use the same rules to design a family of NiN-like networks?"#,
            experiment: r#"Assemble NiN variants shaped like VGG-11, VGG-16 and VGG-19 and compare their layer shapes, parameter counts and computation."#,
        },
    ],
    fig_nin_caption: r#"VGG and NiN side by side. VGG repeats blocks of $3×3$ convolutions with ReLU, each closed by $2×2$ max pooling, and ends with fully connected layers of 4096, 4096 and one output per class; NiN stacks NiN blocks (a $k×k$ convolution and two $1×1$ convolutions, each with ReLU) separated by $3×3$ max pooling with stride 2, and ends with a block of one channel per class and global average pooling."#,
    credits: r#"This page accompanies the NiN section of Dive into Deep Learning (d2l.ai), which presents the model of Lin, Chen & Yan, Network In Network (2013, arXiv:1312.4400); the Fashion-MNIST data set is by Zalando Research and is released under the MIT license."#,
};

pub const JA: ChapterText = ChapterText {
    title: "ネットワーク・イン・ネットワーク（NiN）",
    subtitle: "$1×1$ 畳み込みと大域平均プーリングによって、畳み込みニューラルネットワークから高価な全結合層を取り除く方法を学びます。",
    sections: [
        SectionText {
            id: "introduction",
            title: "はじめに",
            before_cells: &[
                r#"LeNet、AlexNet、VGG は、いずれも同じ設計方針に従っています。まず畳み込み層とプーリング層を積み重ねて画像から空間的な特徴を抽出し、得られた表現を最後の数層の全結合層で処理してクラスごとのスコアに変換します。AlexNet と VGG が LeNet から進歩したのは、主にこの二つの部分をより幅広く、より深くしたからであり、方針そのものは変わっていません。"#,
                r#"しかし、この方針には二つの問題があります。一つ目はコストです。パラメータの大部分は末尾の全結合層に集中しています。VGG の中で最も小さい VGG-11 でさえ、単精度（FP32）で保存すると約 400 MB のメモリを占める巨大な重み行列を一つ持っています。これはスマートフォンや組み込み機器にとって深刻な障害です。現在の高性能なスマートフォンでも RAM はせいぜい 8 GB 程度であり、VGG が発表された当時の iPhone 4S には 512 MB しかありませんでした。二つ目は、全結合層による非線形な処理がネットワークの最後でしか行われないことです。表現力を高めるために全結合層をもっと手前に挿入したくなりますが、ネットワークの途中で特徴マップを平坦化すると空間的な構造が失われてしまい、しかも必要なメモリはさらに増えます。"#,
                r#"Lin、Chen、Yan（2013）が提案した **Network in Network**（NiN）は、一つの考え方を二か所で使うことで両方の問題を解決します。第一に、**$1×1$ 畳み込み**によって各画素の位置に小さな多層パーセプトロンを置きます。これにより、異なる位置どうしを混ぜることなく、各位置のチャネルの活性に非線形性を加えることができます。第二に、**大域平均プーリング**（global average pooling）によって、最後の特徴マップの各チャネルをすべての位置にわたって平均します。こうすれば、末尾に大きな全結合層を置く必要がなくなります。この二つは互いに支え合っています。単純な平均が分類器の役割を果たせるのは、$1×1$ 畳み込みによって各位置の特徴がすでに十分に非線形で豊かなものになっているからです。この非線形性を加えなければ、大域平均プーリングはうまく機能しません。"#,
            ],
            after_cells: &[],
        },
        SectionText {
            id: "nin-blocks",
            title: "NiN ブロック",
            before_cells: &[
                r#"まず、テンソルの形を思い出しましょう。畳み込み層の入力と出力は、（サンプル、チャネル、高さ、幅）の軸を持つ 4 次元テンソルです。一方、全結合層の入力と出力は、（サンプル、特徴）の軸を持つ 2 次元テンソルです。畳み込み層の出力を全結合層に渡すには空間方向の軸を平坦化しなければならず、まさにその段階で空間的な構造が失われます。"#,
                r#"NiN は平坦化を避けるために、全結合層を空間上の各位置、つまり高さと幅の組ごとに別々に適用します。ある一つの画素に注目すると、その位置のチャネルの値が一つの特徴ベクトルになります。これに重み行列を掛けてバイアスを加える操作は、通常の全結合層そのものです。そして、すべての画素で同じ重みを使うことは、カーネルサイズが $1×1$ の畳み込みにほかなりません。つまり $1×1$ 畳み込みとは、各画素を独立に扱い、すべての画素で重みを共有する、チャネル方向の全結合層なのです。"#,
                r#"この見方に基づいて **NiN ブロック**が作られます。ブロックはまず、指定されたストライドとパディングを持つ $k×k$ の通常の畳み込みから始まります。この層は近傍の画素を見渡し、解像度を変えることもあります。その後に $1×1$ 畳み込みが二つ続き、三つの畳み込みのそれぞれの直後に ReLU 活性化関数が置かれます。VGG のブロックと比べてみましょう。VGG はブロック内で $3×3$ 畳み込みを繰り返すため、層を追加するたびに隣接する画素が再び混ざります。これに対して NiN ブロックで追加される二つの層は、チャネルだけを混ぜます。"#,
                r#"下の図は、二つのアーキテクチャを並べて描いたものです。VGG の側には、$3×3$ 畳み込みと ReLU の組を何度か繰り返し、ストライド 2 の $2×2$ 最大値プーリングで締めくくるブロックが並び、最後のブロックの後に出力数 4096、4096、クラス数の三つの全結合層が続きます。NiN の側では、各ブロックが $k×k$ 畳み込みと二つの $1×1$ 畳み込み（それぞれ ReLU 付き）からなり、ブロックの間にはストライド 2 の $3×3$ 最大値プーリングが入ります。最後のブロックはクラス数と同じ数のチャネルを出力し、大域平均プーリングでネットワークが終わります。ブロック内部の構成の違いと、NiN には末尾の巨大な全結合層がまったくないことの二点に注目してください。ブロックのソースコードは下のコードセルに示してあります。"#,
            ],
            after_cells: &[
                r#"本書のブロックでは、三つの畳み込みの出力チャネル数はすべて同じです。$1×1$ 畳み込みはストライド 1、パディングなしなので、高さと幅を変えません。したがって、ブロックの中で空間サイズを変えうるのは最初の畳み込みだけです。"#,
            ],
        },
        SectionText {
            id: "nin-model",
            title: "NiN モデル",
            before_cells: &[
                r#"NiN モデル全体では、最初の畳み込みのサイズを AlexNet から借りています。最初の三つの NiN ブロックのカーネルは $11×11$、$5×5$、$3×3$ で、出力チャネル数は AlexNet の対応する層と同じ 96、256、384 です。一つ目のブロックはストライド 4 でパディングなし、二つ目と三つ目はストライド 1 で、パディングはそれぞれ 2 と 1 です。各ブロックの後には窓サイズ $3×3$、ストライド 2 の最大値プーリングが置かれ、高さと幅がおよそ半分になります。"#,
                r#"三つ目のプーリング層の後には確率 0.5 のドロップアウトがあり、続いてカーネルが $3×3$ の四つ目の NiN ブロックが置かれます。このブロックの出力チャネル数はクラス数に等しく、Fashion-MNIST では 10 です。10 個のチャネルはそれぞれ、一つのクラスがどこにどれだけ現れているかを示す空間的なマップと見なせます。大域平均プーリングが各マップを一つの数値に平均し、それを平坦化すると 10 個のロジットからなるベクトルが得られます。ネットワークのどこにも全結合層はありません。重みは本書と同じく Xavier 初期化で初期化します。"#,
                r#"こうしてモデルは大幅に小さくなります。その代償として、学習に時間がかかるようになる可能性があります。下のセルでは、$224×224$ のグレースケール画像 1 枚、つまり形が $1×1×224×224$ のテンソルをネットワークに通し、各層の出力の形を一覧にします。"#,
            ],
            after_cells: &[
                r#"表を上から順に見ていきましょう（大きさ 1 のバッチ軸は省いて書きます）。一つ目のブロックは $1×224×224$ の入力を $96×54×54$ に変換し、プーリングによって $96×26×26$ になります。二つ目のブロックは空間サイズを保ったままチャネルを増やして $256×26×26$ とし、プーリングで $256×12×12$ になります。三つ目のブロックで $384×12×12$、プーリングで $384×5×5$ となります。ドロップアウトは形を変えません。最後のブロックが $10×5×5$ を出力し、大域平均プーリングで $10×1×1$ になり、平坦化すると画像 1 枚あたり長さ 10 のベクトルが残ります。"#,
                r#"空間サイズはすべて一つの式で決まります。一辺の長さ $h$、カーネルサイズ $k$、パディング $p$、ストライド $s$ に対して、出力の一辺の長さは $h′ = ⌊(h + 2p − k)/s⌋ + 1$ です。たとえば最初の畳み込みでは $⌊(224 − 11)/4⌋ + 1 = 54$、最初のプーリングでは $⌊(54 − 3)/2⌋ + 1 = 26$ となります。大域平均プーリングはどんな大きさのマップにも適用できるので、このモデルは他のサイズの入力も受け付けますが、いくらでも小さくできるわけではありません。動作する最小の正方形の入力は $67×67$ で、このとき最後のプーリング層にはちょうど $3×3$ のマップが届き、$1×1$ に縮められます。これより小さい入力では、最後のプーリング層の窓を一つも置けるだけのマップが残りません。その場合、このページはモデルを実行する代わりに、どの層で画素が足りなくなったかを示すエラーを表示します。セルの入力サイズを変えて確かめてみてください。"#,
                r#"このページでは、実際に構築したモデルのテンソルからパラメータ数を数えています。合計は 1,992,166 個、およそ 200 万です。そのほとんどは二つ目と三つ目のブロックの畳み込みにあり、分類器の代わりを務める最後のブロックのパラメータは 35,000 個にも満たない数です。「はじめに」で述べた VGG-11 の全結合層の重み行列は、それ一つだけで約 1 億個の重みを持っていたことと比べてみてください。"#,
            ],
        },
        SectionText {
            id: "training",
            title: "学習",
            before_cells: &[
                r#"NiN の学習は、AlexNet や VGG のときとまったく同じ方法で行います。データセットは Zalando Research による Fashion-MNIST で、60,000 枚の訓練画像と 10,000 枚のテスト画像からなります。各画像は $28×28$ のグレースケールの衣料品の画像で、T シャツ/トップス（T-shirt/top）、ズボン（Trouser）、プルオーバー（Pullover）、ドレス（Dress）、コート（Coat）、サンダル（Sandal）、シャツ（Shirt）、スニーカー（Sneaker）、バッグ（Bag）、アンクルブーツ（Ankle boot）の 10 クラスのいずれかに属します。AlexNet と同じ大きさのカーネルとストライドが使えるように、画像は $224×224$ に拡大します。本書ではミニバッチサイズ 128、学習率 0.05 の確率的勾配降下法（SGD）を用い、1 台の GPU で 10 エポック学習します。そしてエポックごとに、訓練損失、検証損失、検証精度の三つの曲線を描きます。"#,
                r#"下の学習セルはこの手順を実行し、学習の進行に合わせて同じ三つの曲線を描きます。"#,
            ],
            after_cells: &[
                r#"ブラウザ上での学習について、正直にお伝えしておきます。本書の設定どおりに学習すると、$224×224$ 画素の画像 60,000 枚を 10 回繰り返して処理することになります。WebGPU 経由で性能の良い GPU を使っても長い時間がかかり、CPU ではさらにずっと長くかかります。そのためセルには、より少ないデータで短時間に終わるプリセットを用意してあり、数分のうちに曲線が動く様子を観察できます。時間に余裕があれば、本書どおりの設定で実行することもできます。"#,
                r#"最初のうち損失がほとんど下がらなくても驚かないでください。本書の Xavier 初期化と素の SGD の組み合わせでは、訓練損失が長いあいだ $ln 10 ≈ 2.303$ に留まることがあります。この値は 10 クラスを一様にあてずっぽうで予測したときの交差エントロピーであり、その間の精度も偶然と同じ 10 % のままです。このときネットワークは、どの画像に対してもほとんど同じスコアを出力しています。しばらくして勾配の信号が十分に強くなってから、ようやく損失が下がり始めます。最適化手法を SGD から Adam に替えると、たいていはずっと早く学習が進み始めます。実行中にこのような停滞が現れた場合は、ページがそれを指摘し、何が起きているのかを説明します。"#,
                r#"NiN はどこまで良くなるのか、そしてこのページでの短い学習がそれより大きく下回るのはなぜでしょうか。本書の手順（学習率 0.05 の SGD、ミニバッチ 128、画像を $224×224$ に拡大、10 エポック）では、ネットワークは 600,000 枚の訓練画像を見て、テスト精度 86.7 %（訓練精度 87.4 %、訓練損失 0.336）に達します。V100 GPU で毎秒およそ 3,200 枚なので、計算時間はおよそ 3 分です。**訓練済みの NiN を読み込む** で読み込めるモデルは、このプロジェクト自身の Burn のコードで 2 コアの CPU 上で学習しました。Adam と段階的に下げる学習率、ミニバッチ 64、$96×96$ の画像、55,000 枚で 5 エポック、見た画像は 274,880 枚、所要時間は 69 分で、10,000 枚のテスト画像に対する精度は 90.1 % です（読み込むとページがこの値を自分で測り直します）。本書の半分以下の画像数で本書の値を上回ったのは、主に最適化手法と、段階的に下げた学習率のおかげです。"#,
                r#"ページ内の短い学習が見る画像はせいぜい数千枚で、精度はたいてい 20 % から 60 % の間で終わります。差を生む要因は三つあります。一つ目はネットワークが見た画像の数で、数十万枚と数千枚の違いです。二つ目は最適化手法です。本書の学習率の素の SGD は $ln 10$ の停滞に長く留まることがありますが、Adam は最初の百ステップほどで学習が進み始めます。長い学習に Adam を使ったのはそのためです。三つ目の画像サイズは、ここではいちばん影響が小さい要因です。Fashion-MNIST の画像はもともと $28×28$ しかないので、$224×224$ にしても細部は増えません。$11×11$、ストライド 4 の最初の層が見る位置が増えるだけで、画像 1 枚あたりの計算量は $96×96$ のときのおよそ 7 倍になります。"#,
            ],
        },
        SectionText {
            id: "summary",
            title: "まとめ",
            before_cells: &[
                r#"NiN のパラメータ数は、AlexNet や VGG に比べて劇的に少なくなっています。その主な理由は、末尾に巨大な全結合層を必要としないことです。最後の段の後では画像のすべての位置について大域平均プーリングを行うので、学習によって獲得する高価な縮約の代わりに、パラメータを持たない単純な平均を使っていることになります。"#,
                r#"平均をとっても精度が落ちなかったことは、研究者にとって驚きでした。さらに、チャネル数が多く解像度の低い表現について平均をとることで、ネットワークの出力は入力の平行移動に対してより不変になります。"#,
                r#"また NiN では、幅の広いカーネルを持つ畳み込みの数を減らし、その代わりに $1×1$ 畳み込みを用いています。これによってパラメータ数はさらに削減されますが、$1×1$ 畳み込みは各位置でチャネル間にかなりの非線形性をもたらします。"#,
                r#"$1×1$ 畳み込みと大域平均プーリングは、どちらもその後の畳み込みニューラルネットワークの設計に大きな影響を与えました。"#,
            ],
            after_cells: &[],
        },
        SectionText {
            id: "exercises",
            title: "演習問題",
            before_cells: &[
                r#"以下の演習問題は、本書の問題を私たちの言葉で言い換えたものです。それぞれの問題には実験用のセルが付いており、設計上の選択を一つだけ変えたモデルを組み立てて、その形、コスト、学習の様子を本書の NiN と比べることができます。実験を実行する前にまず自分で答えを予想し、その予想を実際の数値と照らし合わせてみてください。"#,
            ],
            after_cells: &[],
        },
    ],
    exercises: [
        ExerciseText {
            number: 1,
            question: r#"NiN ブロックでは、最初の畳み込みの後に $1×1$ 畳み込みが二つ置かれています。なぜ二つなのでしょうか。一つだけにした場合や、三つにした場合には何が変わるでしょうか。"#,
            experiment: r#"ブロックあたりの $1×1$ 畳み込みを一つ、二つ、三つとしたモデルを作り、パラメータ数と短い学習での損失曲線を比較できます。"#,
        },
        ExerciseText {
            number: 2,
            question: r#"各ブロック内の $1×1$ 畳み込みを $3×3$ 畳み込み（高さと幅を保つためパディング 1）に置き換えると、何が変わるでしょうか。"#,
            experiment: r#"$3×3$ 版と本書のモデルについて、パラメータ数、計算量、学習曲線を比較できます。"#,
        },
        ExerciseText {
            number: 3,
            question: r#"大域平均プーリングを、最後の特徴マップを平坦化したものに作用する全結合層に置き換えたとします。学習の速さ、精度、パラメータ数はそれぞれどう変わるでしょうか。"#,
            experiment: r#"二種類の出力部それぞれについて、パラメータ数、バッチあたりの処理時間、精度を測定できます。全結合層を使うとモデルが一つの入力サイズに固定されてしまうことにも注目してください。"#,
        },
        ExerciseText {
            number: 4,
            question: r#"NiN はどれだけの計算資源を必要とするでしょうか。(a) パラメータ数、(b) 計算量、(c) 学習時に必要なメモリ、(d) 予測（推論）時に必要なメモリをそれぞれ求めてください。"#,
            experiment: r#"好きな入力サイズとバッチサイズについて、パラメータ数、FLOP 数、メモリ量を層ごとに表にして示すので、自分の計算結果と照らし合わせることができます。"#,
        },
        ExerciseText {
            number: 5,
            question: r#"このネットワークは、$384×5×5$ の表現をただ一つのブロックで $10×5×5$ の表現に縮めています。このように一気に縮めると、どのような問題が起こりうるでしょうか。"#,
            experiment: r#"チャネル数を段階的に減らす変種と本書のモデルを、パラメータ数だけでなく損失と精度についても比較できます。"#,
        },
        ExerciseText {
            number: 6,
            question: r#"VGG-11、VGG-16、VGG-19 は、いくつかの構造上の設計方針に従って作られています。同じ方針を用いて、NiN に似たネットワークのファミリーを設計するにはどうすればよいでしょうか。"#,
            experiment: r#"VGG-11、VGG-16、VGG-19 の形にならった NiN の変種を組み立て、各層の形、パラメータ数、計算量を比較できます。"#,
        },
    ],
    fig_nin_caption: r#"VGG と NiN のアーキテクチャの比較。VGG は ReLU 付きの $3×3$ 畳み込みを繰り返して $2×2$ 最大値プーリングで締めくくるブロックを重ね、最後に出力数 4096、4096、クラス数の全結合層を置きます。NiN は NiN ブロック（$k×k$ 畳み込みと二つの $1×1$ 畳み込み、それぞれ ReLU 付き）をストライド 2 の $3×3$ 最大値プーリングで区切って重ね、クラス数と同じチャネル数を持つブロックと大域平均プーリングで終わります。"#,
    credits: r#"このページは『Dive into Deep Learning』（d2l.ai）の NiN の節に対応しており、モデルは Lin, Chen & Yan による論文 Network In Network（2013 年、arXiv:1312.4400）に基づき、Fashion-MNIST データセットは Zalando Research が MIT ライセンスで公開しているものです。"#,
};

#[cfg(test)]
mod tests {
    use super::*;

    fn languages() -> [(&'static str, ChapterText); 2] {
        [("en", EN), ("ja", JA)]
    }

    /// Every text of a chapter, with a label saying where it comes from.
    fn all_texts(chapter: &ChapterText) -> Vec<(String, &'static str)> {
        let mut texts = vec![
            ("title".to_string(), chapter.title),
            ("subtitle".to_string(), chapter.subtitle),
            ("fig_nin_caption".to_string(), chapter.fig_nin_caption),
            ("credits".to_string(), chapter.credits),
        ];
        for section in &chapter.sections {
            texts.push((format!("{} title", section.id), section.title));
            for (i, paragraph) in section.before_cells.iter().enumerate() {
                texts.push((format!("{} before_cells[{i}]", section.id), paragraph));
            }
            for (i, paragraph) in section.after_cells.iter().enumerate() {
                texts.push((format!("{} after_cells[{i}]", section.id), paragraph));
            }
        }
        for exercise in &chapter.exercises {
            texts.push((format!("exercise {} question", exercise.number), exercise.question));
            texts.push((format!("exercise {} experiment", exercise.number), exercise.experiment));
        }
        texts
    }

    fn has_japanese(text: &str) -> bool {
        text.chars().any(|c| ('\u{3040}'..='\u{30FF}').contains(&c) || ('\u{4E00}'..='\u{9FFF}').contains(&c))
    }

    #[test]
    fn sections_have_the_ids_in_page_order() {
        for (lang, chapter) in languages() {
            let ids: Vec<&str> = chapter.sections.iter().map(|s| s.id).collect();
            assert_eq!(ids, SECTION_IDS, "{lang}");
        }
    }

    #[test]
    fn exercises_are_numbered_one_to_six() {
        for (lang, chapter) in languages() {
            let numbers: Vec<u8> = chapter.exercises.iter().map(|e| e.number).collect();
            assert_eq!(numbers, [1, 2, 3, 4, 5, 6], "{lang}");
        }
    }

    #[test]
    fn no_text_is_empty() {
        for (lang, chapter) in languages() {
            for section in &chapter.sections {
                assert!(!section.before_cells.is_empty(), "{lang}: {} has no paragraphs", section.id);
            }
            for (label, text) in all_texts(&chapter) {
                assert!(!text.trim().is_empty(), "{lang}: {label} is empty");
            }
        }
    }

    #[test]
    fn japanese_texts_are_in_japanese() {
        for (label, text) in all_texts(&JA) {
            assert!(has_japanese(text), "ja: {label} has no Japanese characters: {text}");
        }
    }

    #[test]
    fn inline_markup_is_balanced() {
        for (lang, chapter) in languages() {
            for (label, text) in all_texts(&chapter) {
                assert_eq!(text.matches('$').count() % 2, 0, "{lang}: unbalanced $ in {label}");
                assert_eq!(text.matches("**").count() % 2, 0, "{lang}: unbalanced ** in {label}");
                assert_eq!(text.matches('`').count() % 2, 0, "{lang}: unbalanced ` in {label}");
            }
        }
    }

    #[test]
    fn paragraphs_contain_no_html() {
        for (lang, chapter) in languages() {
            for (label, text) in all_texts(&chapter) {
                assert!(!text.contains('<') && !text.contains('>'), "{lang}: markup in {label}");
            }
        }
    }
}
