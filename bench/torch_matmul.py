"""The PyTorch side of `npm run bench -- matmul`: the best GFLOP/s of C = A·B for each shape.

argv[1]: JSON {"shapes": [[m, k, n], ...], "threads", "runs"}; prints {"gflops": [...],
"threads", "blas"} as its last line (the same shapes, order and timing rule as the suite's
other candidates: one warm-up product, then the fastest of `runs`).
"""
import json
import sys
import time

import torch

from torch_ref_train import mapped_blas


def main():
    r = json.loads(sys.argv[1])
    torch.set_num_threads(r["threads"])
    out = []
    for m, k, n in r["shapes"]:
        a = torch.randn(m, k)
        b = torch.randn(k, n)
        torch.matmul(a, b)
        best = float("inf")
        for _ in range(r["runs"]):
            t = time.perf_counter()
            torch.matmul(a, b)
            best = min(best, time.perf_counter() - t)
        out.append(2 * m * k * n / best / 1e9)
    print(json.dumps({"gflops": out, "threads": torch.get_num_threads(), "blas": mapped_blas()}))


if __name__ == "__main__":
    main()
