"""The PyTorch side of `npm run bench -- model`: the workbench's fixed reference model
(src-main/core/model/transformer.ts, preset `ref`) written in plain torch ops, trained the way
bench/suites/model.ts trains it — random byte sequences, every position a target, AdamW.

The same architecture as the workbench's: pre-norm blocks, no biases in the linear layers,
learned positions, causal attention, GELU as x·σ(1.702x), an untied output head.

argv[1]: JSON {"vocab", "d", "layers", "heads", "mlp", "T", "B", "seconds", "minSteps", "threads"};
prints {"tokensPerS", "threads", "steps", "blas"} as its last line and, before it, torch's
build configuration (which BLAS it was built for and which one the process mapped).
"""
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F


class Block(torch.nn.Module):
    def __init__(self, d, heads, mlp):
        super().__init__()
        self.heads = heads
        self.ln1 = torch.nn.LayerNorm(d)
        self.qkv = torch.nn.Linear(d, 3 * d, bias=False)
        self.wo = torch.nn.Linear(d, d, bias=False)
        self.ln2 = torch.nn.LayerNorm(d)
        self.w1 = torch.nn.Linear(d, mlp * d, bias=False)
        self.w2 = torch.nn.Linear(mlp * d, d, bias=False)

    def forward(self, x, mask):
        B, T, d = x.shape
        H = self.heads
        q, k, v = self.qkv(self.ln1(x)).split(d, dim=2)
        q, k, v = (t.view(B, T, H, d // H).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-2, -1)) * (d // H) ** -0.5
        att = att.masked_fill(mask, float("-inf")).softmax(dim=-1)
        x = x + self.wo((att @ v).transpose(1, 2).reshape(B, T, d))
        h = self.w1(self.ln2(x))
        return x + self.w2(h * torch.sigmoid(1.702 * h))


class Model(torch.nn.Module):
    def __init__(self, vocab, d, layers, heads, mlp, T):
        super().__init__()
        self.wte = torch.nn.Embedding(vocab, d)
        self.wpe = torch.nn.Embedding(T, d)
        self.blocks = torch.nn.ModuleList(Block(d, heads, mlp) for _ in range(layers))
        self.lnf = torch.nn.LayerNorm(d)
        self.head = torch.nn.Linear(d, vocab, bias=False)
        self.register_buffer("mask", torch.ones(T, T).triu(1).bool())

    def forward(self, ids):
        T = ids.shape[1]
        x = self.wte(ids) + self.wpe(torch.arange(T))
        for b in self.blocks:
            x = b(x, self.mask[:T, :T])
        return self.head(self.lnf(x))


def mapped_blas():
    # Debian's torch links the system BLAS through alternatives: the library mapped is what runs.
    maps = open("/proc/self/maps").read().lower()
    for name in ("openblas", "mkl", "blis", "atlas"):
        if name in maps:
            return name
    return "reference BLAS (no optimised library mapped)"


def main():
    r = json.loads(sys.argv[1])
    torch.set_num_threads(r["threads"])
    torch.manual_seed(1)
    m = Model(r["vocab"], r["d"], r["layers"], r["heads"], r["mlp"], r["T"])
    opt = torch.optim.AdamW(m.parameters(), lr=1e-3)
    B, T = r["B"], r["T"]
    # T+1 tokens per row give T predictions; every one is a target.
    seq = torch.randint(32, 122, (B, T + 1))
    ids, targets = seq[:, :-1], seq[:, 1:]

    def step():
        loss = F.cross_entropy(m(ids).reshape(B * T, -1), targets.reshape(B * T))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    step()
    times = []
    started = time.perf_counter()
    while len(times) < r["minSteps"] or (time.perf_counter() - started < r["seconds"] and len(times) < 50):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    print(torch.__config__.show().strip())
    print(json.dumps({"tokensPerS": B * T / statistics.median(times), "threads": torch.get_num_threads(), "steps": len(times), "blas": mapped_blas()}))


if __name__ == "__main__":
    main()
