"""PyTorch reference figures for `npm run bench`, on one thread.

Runs the same workloads as the TypeScript benchmarks and prints one JSON object on
stdout: {"torch": version, "blas": ..., "figures": {name: seconds or GFLOP/s},
"cpu_figures": the same from process CPU time}.
Exits with status 3 and {"error": ...} when torch cannot be imported.
"""
import json
import statistics
import sys
import time


def median_seconds(fn, runs, warmup=1):
    """Median wall-clock and process CPU seconds of one call, after warm-up calls."""
    for _ in range(warmup):
        fn()
    wall, cpu = [], []
    for _ in range(runs):
        cpu_start = time.process_time()
        start = time.perf_counter()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - cpu_start)
    return statistics.median(wall), statistics.median(cpu)


def tutorial_loop(torch, epochs):
    """The tutorial's linear regression: 256x1 data, Linear(1,1), MSE, SGD lr 0.01, full batch."""
    torch.manual_seed(0)
    x = torch.rand(256, 1) * 10
    y = 3 * x + 2 + torch.randn(256, 1)

    def run():
        model = torch.nn.Linear(1, 1)
        criterion = torch.nn.MSELoss()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        for _ in range(epochs):
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()
        return loss.item()

    return run


def mlp_epoch(torch, samples, batch):
    """One epoch of a 100-256-256-10 MLP with Adam and cross-entropy."""
    torch.manual_seed(0)
    x = torch.randn(samples, 100)
    y = torch.randint(0, 10, (samples,))

    def run():
        model = torch.nn.Sequential(
            torch.nn.Linear(100, 256), torch.nn.ReLU(),
            torch.nn.Linear(256, 256), torch.nn.ReLU(),
            torch.nn.Linear(256, 10))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        criterion = torch.nn.CrossEntropyLoss()
        for start in range(0, samples, batch):
            xb = x[start:start + batch]
            yb = y[start:start + batch]
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
        return loss.item()

    return run


def matmul_gflops(torch, n, transposed, runs):
    torch.manual_seed(0)
    a = torch.randn(n, n)
    b = torch.randn(n, n)
    repeat = 20
    if transposed:
        def fn():
            for _ in range(repeat):
                a.t().matmul(b)
    else:
        def fn():
            for _ in range(repeat):
                a.matmul(b)
    wall, cpu = median_seconds(fn, runs)
    flops = 2 * n ** 3 * repeat
    return flops / wall / 1e9, flops / cpu / 1e9


def main():
    quick = "--quick" in sys.argv
    try:
        import torch
    except Exception as error:  # torch missing or broken: the caller prints a note
        print(json.dumps({"error": "torch could not be imported: %s" % error}))
        sys.exit(3)
    torch.set_num_threads(1)
    runs = 3 if quick else 5
    measured = {
        "tutorial_3000_epochs_s": median_seconds(tutorial_loop(torch, 3000), runs),
        "mlp_epoch_s": median_seconds(mlp_epoch(torch, 20000, 256), runs),
        "matmul512_gflops": matmul_gflops(torch, 512, False, runs),
        "matmul512_transposed_gflops": matmul_gflops(torch, 512, True, runs),
    }
    # Wall-clock figures, and the same from process CPU time (steadier on a busy machine).
    figures = {name: wall for name, (wall, _) in measured.items()}
    cpu_figures = {name: cpu for name, (_, cpu) in measured.items()}
    blas = "unknown"
    try:
        with open("/proc/self/maps") as maps:
            libs = {line.split()[-1] for line in maps if "blas" in line}
        blas = ", ".join(sorted(libs)) or "none loaded"
    except OSError:
        pass
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(),
                      "blas": blas, "figures": figures, "cpu_figures": cpu_figures}))


if __name__ == "__main__":
    main()
