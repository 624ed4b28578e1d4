"""The user-path bench's programs for PyTorch, one fresh process per call.

usage: pytorch_programs.py NAME RUNS [THREADS]
Runs NAME's setup, then its training step RUNS times (the first run, then warm runs) on
THREADS threads (default one), and prints {"torch": version, "runs_ms": [...]} on its
last line. The same
programs in TypeScript are in programs.ts, under the same names.
"""
import json
import sys
import time


def tutorial_data(torch):
    torch.manual_seed(0)
    x = torch.rand(256, 1) * 10
    return x, 3 * x + 2 + torch.randn(256, 1)


def kit(torch):
    x, y = tutorial_data(torch)
    criterion = torch.nn.MSELoss()

    def train():
        model = torch.nn.Linear(1, 1)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        for _ in range(3000):
            optimizer.zero_grad()
            criterion(model(x), y).backward()
            optimizer.step()
    return train


def tfops(torch):
    """Tensors and autograd by hand, as plain tfjs code is written: no nn.Module."""
    x, y = tutorial_data(torch)

    def train():
        w = torch.tensor([[0.5]], requires_grad=True)
        b = torch.tensor([0.0], requires_grad=True)
        optimizer = torch.optim.SGD([w, b], lr=0.01)
        for _ in range(3000):
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(x.matmul(w) + b, y).backward()
            optimizer.step()
    return train


def mlp_data(torch):
    torch.manual_seed(0)
    return torch.randn(20000, 100), torch.randint(0, 10, (20000,))


def mlp_model(torch):
    return torch.nn.Sequential(
        torch.nn.Linear(100, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 10))


def mlp(torch):
    x, y = mlp_data(torch)

    def train():
        model = mlp_model(torch)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        criterion = torch.nn.CrossEntropyLoss()
        for start in range(0, 20000, 256):
            optimizer.zero_grad()
            criterion(model(x[start:start + 256]), y[start:start + 256]).backward()
            optimizer.step()
    return train


MATMUL_PRODUCTS = 10


def matmul1024(torch):
    torch.manual_seed(0)
    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)

    def train():
        for _ in range(MATMUL_PRODUCTS):
            a.matmul(b)
    return train

# PyTorch has no model.fit: its hand loop is what a PyTorch user runs for the same epoch.
fit = mlp

PROGRAMS = {"kit": kit, "tfops": tfops, "mlp": mlp, "fit": fit, "matmul1024": matmul1024}


def main():
    name, runs = sys.argv[1], int(sys.argv[2])
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    try:
        import torch
    except Exception as error:
        print(json.dumps({"error": "torch could not be imported: %s" % error}))
        sys.exit(3)
    torch.set_num_threads(threads)
    train = PROGRAMS[name](torch)
    runs_ms = []
    for _ in range(runs):
        start = time.perf_counter()
        train()
        runs_ms.append((time.perf_counter() - start) * 1000)
    print(json.dumps({"torch": torch.__version__, "runs_ms": runs_ms}))


if __name__ == "__main__":
    main()
