"""Short texts outside the app (issue #13): a recurrent sentiment model in PyTorch on the CPU, trained
as the app's Recommended preset trains, scored on the whole test reviews and on their short versions.

Run through `npm run peer:short-texts`, which writes the app's tokenization of the real shards
(--data: train/test ids pre-padded to --maxlen, labels, lengths; the short versions packed) and
passes its folder. Training as the preset: masked padding (each sequence read from its first word
to its last), length-bucketed batches (groups of 32 batches sorted by length), a share of each
epoch's training reviews read as their last words (log-uniform from 4 words to the review's
length), RMSprop 1e-3 decayed x0.6 per epoch, up to 8 epochs, early stopping on validation loss
(patience 3) with the best epoch's weights kept, 10% of the training reviews held out.
`--arch` picks what reads the words; everything else is the same for every architecture.

Prints each epoch and one RESULT line of JSON.
"""
import argparse
import json
import time

import numpy as np
import torch

MIN_WINDOW = 4
BATCHES_PER_GROUP = 32

parser = argparse.ArgumentParser()
parser.add_argument("--data", required=True)
parser.add_argument("--vocab", type=int, default=20000)
parser.add_argument("--maxlen", type=int, default=500)
parser.add_argument(
    "--arch",
    default="lstm",
    choices=["lstm", "lstm2", "gru", "bilstm", "bigru", "lstmmax", "lstmmean"],
    help="lstm/gru: the last state; lstm2: two stacked LSTMs' last state; bi…: both directions' last states; lstmmax/lstmmean: the last state and "
    "the max/mean of the outputs over the words",
)
parser.add_argument("--units", type=int, default=128)
parser.add_argument("--emb", type=int, default=128)
parser.add_argument("--epochs", type=int, default=8)
parser.add_argument("--patience", type=int, default=3)
parser.add_argument("--lr", type=float, default=1e-3)
parser.add_argument("--decay", type=float, default=0.6)
parser.add_argument("--batch", type=int, default=128)
parser.add_argument("--share", type=float, default=0.5, help="share of training reviews read as a window each epoch")
parser.add_argument("--end-share", type=float, default=1.0, help="share of the windows that are a review's last words")
parser.add_argument("--max-width", type=int, default=0, help="longest window in words; 0 = the review's length")
parser.add_argument("--dropout", type=float, default=0.0, help="dropout on the embeddings and on the readout")
parser.add_argument("--word-drop", type=float, default=0.0, help="share of a training review's words left out")
parser.add_argument("--opt", default="tfjs", choices=["tfjs", "torch"], help="RMSprop's epsilon inside the root (tfjs 4.22) or outside (PyTorch)")
parser.add_argument("--eps", type=float, default=1e-7)
parser.add_argument(
    "--teacher",
    type=float,
    default=0.0,
    help="distillation: a window's target is (1 - t) * its review's label + t * a naive Bayes teacher's probability",
)
parser.add_argument("--seed", type=int, default=42)
parser.add_argument("--threads", type=int, default=1)
args = parser.parse_args()

torch.set_num_threads(args.threads)
torch.set_flush_denormal(True)
torch.manual_seed(args.seed)
rng = np.random.default_rng(args.seed)


def load_split(split):
    folder = args.data.rstrip("/") + "/"
    ids = np.fromfile(folder + f"{split}.ids", dtype=np.int32).reshape(-1, args.maxlen)
    labels = np.fromfile(folder + f"{split}.labels", dtype=np.uint8).astype(np.float32)
    lengths = np.minimum(np.fromfile(folder + f"{split}.lengths", dtype=np.int32), args.maxlen)
    return [row[args.maxlen - n:] for row, n in zip(ids, lengths)], labels


def load_packed(name):
    folder = args.data.rstrip("/") + "/"
    offsets = np.fromfile(folder + name + ".offsets", dtype=np.int32)
    ids = np.fromfile(folder + name + ".ids", dtype=np.int32)
    return [ids[offsets[i]:offsets[i + 1]] for i in range(len(offsets) - 1)]


def keras_init(rnn, units, is_lstm):
    """Keras's initialisers, as the app's model has them: glorot-uniform per gate, orthogonal
    recurrent kernel, zero bias with the LSTM's forget gate at 1."""
    for name, weight in rnn.named_parameters():
        if "weight_ih" in name:
            for gate in range(weight.shape[0] // units):
                torch.nn.init.xavier_uniform_(weight.data[gate * units:(gate + 1) * units])
        elif "weight_hh" in name:
            torch.nn.init.orthogonal_(weight.data)
        else:
            weight.data.zero_()
            if is_lstm and "bias_ih" in name:
                weight.data[units:2 * units] = 1.0


class Reader(torch.nn.Module):
    """Sequences are post-padded and each one's state is taken at its last word: exact masking
    without packed sequences (10x slower here). The backward direction reads each sequence reversed."""

    def __init__(self):
        super().__init__()
        self.embedding = torch.nn.Embedding(args.vocab, args.emb)
        torch.nn.init.uniform_(self.embedding.weight, -0.05, 0.05)
        cell = torch.nn.GRU if "gru" in args.arch else torch.nn.LSTM
        self.both_ways = args.arch.startswith("bi")
        layers = 2 if args.arch == "lstm2" else 1
        self.forward_rnn = cell(args.emb, args.units, num_layers=layers, batch_first=True)
        keras_init(self.forward_rnn, args.units, cell is torch.nn.LSTM)
        if self.both_ways:
            self.backward_rnn = cell(args.emb, args.units, batch_first=True)
            keras_init(self.backward_rnn, args.units, cell is torch.nn.LSTM)
        self.pool = {"lstmmax": "max", "lstmmean": "mean"}.get(args.arch)
        width = args.units * (2 if self.both_ways else 1) * (2 if self.pool else 1)
        self.dropout = torch.nn.Dropout(args.dropout)
        self.dense = torch.nn.Linear(width, 1)
        torch.nn.init.xavier_uniform_(self.dense.weight)
        torch.nn.init.zeros_(self.dense.bias)

    def read(self, rnn, sequences, lengths, steps):
        ids = torch.zeros(len(sequences), steps, dtype=torch.long)
        for row, sequence in enumerate(sequences):
            ids[row, :len(sequence)] = torch.from_numpy(sequence.astype(np.int64))
        outputs, _ = rnn(self.dropout(self.embedding(ids)))
        last = outputs[torch.arange(len(sequences)), lengths - 1]
        if self.pool is None:
            return last
        words = (torch.arange(steps)[None, :] < lengths[:, None]).float()[:, :, None]
        if self.pool == "max":
            pooled = (outputs * words - (1 - words) * 1e9).max(1).values
        else:
            pooled = (outputs * words).sum(1) / words.sum(1)
        return torch.cat([last, pooled], 1)

    def forward(self, sequences):
        lengths = torch.tensor([len(s) for s in sequences])
        steps = int(lengths.max())
        features = self.read(self.forward_rnn, sequences, lengths, steps)
        if self.both_ways:
            reversed_sequences = [s[::-1].copy() for s in sequences]
            features = torch.cat([features, self.read(self.backward_rnn, reversed_sequences, lengths, steps)], 1)
        return self.dense(self.dropout(features)).squeeze(1)


class TfjsRMSprop(torch.optim.Optimizer):
    """tfjs 4.22's RMSprop without momentum: p -= lr * g / sqrt(ms + eps)."""

    def __init__(self, params, lr, rho=0.9, eps=1e-7):
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for param in group["params"]:
                if param.grad is None:
                    continue
                state = self.state[param]
                if "ms" not in state:
                    state["ms"] = torch.zeros_like(param)
                state["ms"].mul_(group["rho"]).addcmul_(param.grad, param.grad, value=1 - group["rho"])
                param.sub_(group["lr"] * param.grad / torch.sqrt(state["ms"] + group["eps"]))


FEATURE_BUCKETS = 1 << 21


def ngram_features(sequence):
    """A sequence's unigram ids and hashed bigrams, each once."""
    ids = sequence.astype(np.int64)
    if len(ids) < 2:
        return np.unique(ids)
    bigrams = (ids[:-1] * 20011 + ids[1:]) % (FEATURE_BUCKETS - args.vocab) + args.vocab
    return np.unique(np.concatenate([ids, bigrams]))


class NaiveBayesTeacher:
    """Naive Bayes log-count ratios of binarized unigrams and bigrams, its score scaled by a slope
    fitted on the reviews it learnt from. No bias: one fitted on whole reviews decides short texts
    (measured: 78.6% on the last 20 words without it, 72.5% with)."""

    def __init__(self, sequences, labels):
        positive, negative = np.ones(FEATURE_BUCKETS), np.ones(FEATURE_BUCKETS)
        for sequence, label in zip(sequences, labels):
            (positive if label > 0.5 else negative)[ngram_features(sequence)] += 1
        self.ratios = np.log((positive / positive.sum()) / (negative / negative.sum()))
        scores = torch.tensor([self.score(s) for s in sequences])
        targets = torch.tensor(labels, dtype=torch.float64)
        slope = torch.ones(1, dtype=torch.float64, requires_grad=True)
        fit = torch.optim.LBFGS([slope], max_iter=100)

        def closure():
            fit.zero_grad()
            loss = torch.nn.functional.binary_cross_entropy_with_logits(slope * scores, targets)
            loss.backward()
            return loss

        fit.step(closure)
        self.slope = float(slope)

    def score(self, sequence):
        return float(self.ratios[ngram_features(sequence)].sum()) if len(sequence) else 0.0

    def probability(self, sequence):
        return 1 / (1 + np.exp(-self.slope * self.score(sequence)))


def cross_fitted_teachers(training, train_all, train_labels):
    """Each training review's teacher learnt from the other half, so its windows are not scored from memory."""
    halves = np.array_split(rng.permutation(training), 2)
    teachers = [NaiveBayesTeacher([train_all[i] for i in half], train_labels[half]) for half in halves]
    return {int(i): teachers[1 - k] for k, half in enumerate(halves) for i in half}


def training_version(sequence):
    """A training review as one epoch reads it: some words left out, maybe a window of it."""
    if args.word_drop > 0 and len(sequence) > MIN_WINDOW:
        kept = sequence[rng.random(len(sequence)) >= args.word_drop]
        sequence = kept if len(kept) > 0 else sequence
    length = len(sequence)
    pick, log_width, start_at, at_end = rng.random(4)
    if length <= MIN_WINDOW or pick >= args.share:
        return sequence
    longest = max(MIN_WINDOW, min(length, args.max_width)) if args.max_width > 0 else length
    width = min(length, int(MIN_WINDOW * (longest / MIN_WINDOW) ** log_width))
    start = length - width if at_end < args.end_share else int(start_at * (length - width + 1))
    return sequence[start:start + width]


def evaluate(model, sequences, labels):
    model.eval()
    probabilities = np.zeros(len(sequences), dtype=np.float32)
    with torch.no_grad():
        order = np.argsort([len(s) for s in sequences])
        for start in range(0, len(sequences), 256):
            rows = order[start:start + 256]
            # A text with no known word reads one padding token (the app's empty rows read nothing; rare).
            batch = [sequences[i] if len(sequences[i]) else np.zeros(1, np.int32) for i in rows]
            probabilities[rows] = torch.sigmoid(model(batch)).numpy()
    model.train()
    clipped = np.clip(probabilities, 1e-7, 1 - 1e-7)
    loss = float(-np.mean(labels * np.log(clipped) + (1 - labels) * np.log(1 - clipped)))
    return float(((probabilities > 0.5) == (labels > 0.5)).mean()), loss


def main():
    train_all, train_labels = load_split("train")
    test, test_labels = load_split("test")
    last_words, last_sentence = load_packed("last20"), load_packed("lastSentence")
    shuffled = rng.permutation(len(train_all))
    held_out = len(train_all) // 10
    validation, training = shuffled[:held_out], shuffled[held_out:]

    teacher_of = cross_fitted_teachers(training, train_all, train_labels) if args.teacher > 0 else {}
    model = Reader()
    if args.opt == "tfjs":
        optimizer = TfjsRMSprop(model.parameters(), lr=args.lr, eps=args.eps)
    else:
        optimizer = torch.optim.RMSprop(model.parameters(), lr=args.lr, alpha=0.9, eps=args.eps)
    loss_of = torch.nn.BCEWithLogitsLoss()
    best_loss, best_state, best_epoch, waited = float("inf"), None, 0, 0
    started = time.time()
    for epoch in range(1, args.epochs + 1):
        for group in optimizer.param_groups:
            group["lr"] = args.lr * args.decay ** (epoch - 1)
        order = rng.permutation(training)
        read = {i: training_version(train_all[i]) for i in order}
        batches = []
        group_size = BATCHES_PER_GROUP * args.batch
        for start in range(0, len(order), group_size):
            group = sorted(order[start:start + group_size], key=lambda i: len(read[i]))
            batches += [group[k:k + args.batch] for k in range(0, len(group), args.batch)]
        rng.shuffle(batches)
        targets = train_labels.copy()
        for i in order:
            if args.teacher > 0 and len(read[i]) < len(train_all[i]):
                soft = teacher_of[int(i)].probability(read[i])
                targets[i] = (1 - args.teacher) * train_labels[i] + args.teacher * soft
        loss_sum = 0.0
        for batch in batches:
            loss = loss_of(model([read[i] for i in batch]), torch.from_numpy(targets[batch]))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            loss_sum += float(loss)
        val_accuracy, val_loss = evaluate(model, [train_all[i] for i in validation], train_labels[validation])
        print(
            f"epoch {epoch}: loss {loss_sum / len(batches):.4f} | val loss {val_loss:.4f} val acc "
            f"{100 * val_accuracy:.2f}% | {time.time() - started:.0f} s",
            flush=True,
        )
        if val_loss < best_loss:
            best_loss, best_epoch, waited = val_loss, epoch, 0
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
        else:
            waited += 1
            if args.patience > 0 and waited >= args.patience:
                break
    model.load_state_dict(best_state)
    result = {k: v for k, v in vars(args).items() if k != "data"}
    result["epochs_run"], result["kept_epoch"] = epoch, best_epoch
    result["test"] = evaluate(model, test, test_labels)[0]
    result["last20"] = evaluate(model, last_words, test_labels)[0]
    result["lastSentence"] = evaluate(model, last_sentence, test_labels)[0]
    result["minutes"] = round((time.time() - started) / 60, 1)
    result["torch"] = torch.__version__
    print("RESULT", json.dumps(result), flush=True)


main()
