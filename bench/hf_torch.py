"""The PyTorch side of `npm run bench -- hf`: the same model files, the same batch shapes and the
same measurement as bench/hf-child.ts, on tests/fixtures/hf_reference.py's forward (the
hand-written reference the tests compare against; plain torch ops, as eager transformers runs).

argv[1]: JSON {"dir", "mode": "forward"|"lora", "B", "T", "steps", "threads"}; prints
{"tokensPerS", "peakRssMb", "threads", "blas"}.
"""
import json
import os
import resource
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures"))
import torch  # noqa: E402
from hf_reference import Model  # noqa: E402

TARGETS = {"gpt2": ["c_attn"], "llama": ["q_proj", "v_proj"], "qwen2": ["q_proj", "v_proj"]}


def main():
    req = json.loads(sys.argv[1])
    torch.set_num_threads(req["threads"])
    torch.manual_seed(1)
    m = Model(req["dir"])
    V = m.c["vocab_size"]
    B, T = req["B"], req["T"]
    ids = torch.randint(0, V, (B, T))
    times = []
    if req["mode"] == "forward":
        with torch.no_grad():
            for s in range(req["steps"] + 1):
                t = time.perf_counter()
                m.forward(ids)
                if s > 0:
                    times.append(time.perf_counter() - t)
    else:
        # LoRA r=16, alpha=32 on PEFT's default targets; loss on the last quarter of each row.
        r = 16
        m.scale = 32 / r
        for name, W in list(m.w.items()):
            path = name[: -len(".weight")]
            if name.endswith(".weight") and any(path.endswith("." + t) for t in TARGETS[m.family]):
                inp, out = (W.shape[0], W.shape[1]) if m.family == "gpt2" else (W.shape[1], W.shape[0])
                m.lora["base_model.model." + path + ".lora_A.weight"] = (torch.rand(r, inp) * 2 - 1).div(inp ** 0.5).requires_grad_(True)
                m.lora["base_model.model." + path + ".lora_B.weight"] = torch.zeros(out, r, requires_grad=True)
        opt = torch.optim.AdamW(list(m.lora.values()), lr=1e-4)
        K = max(1, T // 4)
        labels = torch.randint(0, V, (B, K))
        for s in range(req["steps"] + 1):
            t = time.perf_counter()
            logits = m.forward(ids, last=K)
            loss = torch.nn.functional.cross_entropy(logits.reshape(B * K, V), labels.reshape(B * K))
            opt.zero_grad()
            loss.backward()
            opt.step()
            if s > 0:
                times.append(time.perf_counter() - t)
    # Debian's torch links the system BLAS through alternatives: which library is mapped is what runs.
    maps = open("/proc/self/maps").read().lower()
    blas = "openblas" if "openblas" in maps else "reference or other"
    print(json.dumps({"tokensPerS": B * T / statistics.median(times), "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "threads": req["threads"], "blas": blas}))


if __name__ == "__main__":
    main()
