"""PyTorch CPU reference for `npm run bench`: the bench models, same
architecture, optimizer and batch size as the .model specs, trained for two
epochs; the last epoch is timed (the first is warm-up), as mlc times epochs.
An epoch shorter than --min-seconds is repeated until the timed span is that
long, so a fast model is not timed over a few milliseconds.
Prints one JSON line: {"samplesPerSec": ..., "torch": ..., "threads": ...}.

Data: --data FILE (N x 784 float32 pixels, then N uint8 labels, as written by
bench/mnist-arrays.ts) or, without it, random values of the right shape
(throughput does not depend on the values).
"""
import argparse
import json
import os
import sys
import time

import torch
from torch import nn

PIXELS = 784


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 10))


def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 5), nn.ReLU(),
        nn.Conv2d(32, 64, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 10 * 10, 128), nn.ReLU(), nn.Linear(128, 10))


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5), nn.Sigmoid(), nn.MaxPool2d(2, 2),
        nn.Conv2d(6, 16, 5), nn.Sigmoid(), nn.MaxPool2d(2, 2),
        nn.Flatten(), nn.Linear(16 * 4 * 4, 120), nn.Sigmoid(),
        nn.Linear(120, 84), nn.Sigmoid(), nn.Linear(84, 10))


def rmsprop(params):
    # Keras's rmsprop defaults: learning rate 0.001, rho 0.9, epsilon 1e-7.
    return torch.optim.RMSprop(params, lr=0.001, alpha=0.9, eps=1e-7)


MODELS = {
    # name: (builder, input shape per sample, optimizer, batch size)
    "mlp": (mlp, (784,), rmsprop, 128),
    "cnn": (cnn, (1, 28, 28), rmsprop, 128),
    "lenet5": (lenet5, (1, 28, 28), lambda p: torch.optim.SGD(p, lr=0.9), 32),
}


def load(path, samples, shape):
    if path is None:
        x = torch.rand((samples,) + shape)
        y = torch.randint(0, 10, (samples,))
        return x, y, "random values"
    raw = open(path, "rb").read()
    count = len(raw) // (PIXELS * 4 + 1)
    samples = min(samples, count)
    pixels = torch.frombuffer(bytearray(raw[: count * PIXELS * 4]), dtype=torch.float32)
    labels = torch.frombuffer(bytearray(raw[count * PIXELS * 4:]), dtype=torch.uint8)
    # The file is channels-last 28x28x1 (tfjs); with one channel NCHW is the same memory order.
    x = pixels[: samples * PIXELS].reshape((samples,) + shape).clone()
    y = labels[:samples].long().clone()
    return x, y, "mnist file"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", choices=sorted(MODELS), required=True)
    ap.add_argument("--samples", type=int, default=1024)
    ap.add_argument("--batch", type=int)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--min-seconds", type=float, default=1.0)
    ap.add_argument("--data")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    build, shape, optimizer_for, default_batch = MODELS[args.model]
    batch = args.batch or default_batch
    x, y, source = load(args.data, args.samples, shape)
    count = x.shape[0]
    model = build()
    optimizer = optimizer_for(model.parameters())
    # softmax + crossentropy as in Keras, computed stably as log-softmax + NLL.
    loss_fn = nn.CrossEntropyLoss()

    def epoch():
        order = torch.randperm(count)
        started = time.perf_counter()
        for start in range(0, count, batch):
            idx = order[start:start + batch]
            optimizer.zero_grad()
            logits = model(x[idx])
            loss = loss_fn(logits, y[idx])
            loss.backward()
            optimizer.step()
            # Read the loss as the JS loops do, once per batch.
            loss.item()
        return time.perf_counter() - started

    model.train()
    epoch_seconds = [epoch() for _ in range(args.epochs)]
    timed_epochs, timed_seconds = 1, epoch_seconds[-1]
    while timed_seconds < args.min_seconds:
        timed_epochs += 1
        timed_seconds += epoch()

    print(json.dumps({
        "model": args.model, "torch": torch.__version__, "threads": torch.get_num_threads(),
        "samples": count, "batch": batch, "epochs": args.epochs, "data": source,
        "epochSeconds": epoch_seconds, "timedEpochs": timed_epochs,
        "samplesPerSec": count * timed_epochs / timed_seconds,
    }))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
