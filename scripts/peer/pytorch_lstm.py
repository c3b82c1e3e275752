"""The same model and training step in PyTorch on the CPU, for side-by-side benchmarks.

Embedding(V, E) -> LSTM(H) -> Linear(H, 1) -> sigmoid, binary cross-entropy, RMSprop with tfjs's
defaults as the app sets them (alpha 0.9, eps 1e-7, no momentum), batch B of random Zipf-like ids.
PyTorch at its fastest here: denormals flushed (torch.set_flush_denormal), OpenBLAS when the caller
puts it on LD_LIBRARY_PATH (Debian's python3-torch otherwise uses the reference BLAS).

usage: python3 pytorch_lstm.py --threads 1 --maxlen 200 --steps 8
Prints one JSON line.
"""
import argparse
import ctypes
import json
import time

import numpy as np
import torch


def openblas_core(maps: str) -> str:
    """The kernel family OpenBLAS chose for this CPU (or was told to use by OPENBLAS_CORETYPE)."""
    paths = sorted({line.split()[-1] for line in maps.splitlines() if "openblas" in line and ".so" in line})
    for path in paths:
        try:
            corename = ctypes.CDLL(path).openblas_get_corename
        except (OSError, AttributeError):
            continue
        corename.restype = ctypes.c_char_p
        return corename().decode()
    return "core unknown"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--maxlen", type=int, default=200)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--vocab", type=int, default=20000)
    parser.add_argument("--units", type=int, default=128)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    flushed = torch.set_flush_denormal(True)
    torch.manual_seed(1)
    rng = np.random.default_rng(7)
    weights = 1.0 / np.arange(1, args.vocab)
    weights /= weights.sum()

    class Sentiment(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embedding = torch.nn.Embedding(args.vocab, args.units)
            self.lstm = torch.nn.LSTM(args.units, args.units, batch_first=True)
            self.dense = torch.nn.Linear(args.units, 1)

        def forward(self, ids: torch.Tensor) -> torch.Tensor:
            _, (h, _) = self.lstm(self.embedding(ids))
            return self.dense(h[-1]).squeeze(1)

    model = Sentiment()
    optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=1e-7)
    loss_fn = torch.nn.BCEWithLogitsLoss()

    def batch() -> tuple[torch.Tensor, torch.Tensor]:
        ids = 1 + rng.choice(args.vocab - 1, size=(args.batch, args.maxlen), p=weights)
        labels = rng.integers(0, 2, size=args.batch).astype(np.float32)
        return torch.from_numpy(ids.astype(np.int64)), torch.from_numpy(labels)

    times = []
    for step in range(args.warmup + args.steps):
        ids, labels = batch()
        started = time.perf_counter()
        optimizer.zero_grad()
        loss = loss_fn(model(ids), labels)
        loss.backward()
        optimizer.step()
        elapsed = time.perf_counter() - started
        if step >= args.warmup:
            times.append(elapsed)
    mean = sum(times) / len(times)
    # Which BLAS the process really loaded (Debian picks it through update-alternatives).
    with open("/proc/self/maps", encoding="utf8") as maps:
        loaded = maps.read().lower()
    core = openblas_core(loaded)
    print(
        json.dumps(
            {
                "torch": torch.__version__,
                "threads": args.threads,
                "maxlen": args.maxlen,
                "batch": args.batch,
                "flushDenormal": flushed,
                "blas": f"openblas ({core})" if "openblas" in loaded else "reference or other",
                "meanStepMs": mean * 1000,
                "examplesPerSecond": args.batch / mean,
                "fastestExamplesPerSecond": args.batch / min(times),
                "lastLoss": float(loss),
            }
        )
    )


if __name__ == "__main__":
    main()
