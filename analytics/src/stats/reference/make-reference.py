#!/usr/bin/env python3
"""Reference values for analytics/src/stats, computed with SciPy, statsmodels and mpmath.

The TypeScript tests read the JSON files this script writes next to it; CI has
no SciPy, so the JSON is committed. Every sample is drawn from a seeded numpy
Generator and stored in the JSON with the expected outputs, so the tests feed
the very same inputs.

Rerun (from the repository root; any recent SciPy works, these files were
written with the versions recorded in each file's "generator" field):

    python3 -m venv /tmp/scipy-venv
    /tmp/scipy-venv/bin/pip install scipy numpy statsmodels mpmath
    /tmp/scipy-venv/bin/python analytics/src/stats/reference/make-reference.py

then run `npx vitest run analytics/src/stats`.
"""

import json
import math
import unicodedata
import warnings
from pathlib import Path

import mpmath
import numpy as np
import scipy
import statsmodels
from scipy import stats
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

OUT = Path(__file__).resolve().parent
GENERATOR = (f"make-reference.py with scipy {scipy.__version__}, numpy {np.__version__}, "
             f"statsmodels {statsmodels.__version__}, mpmath {mpmath.__version__}")
# 40 significant digits: the "exact" columns are the true values rounded to double.
mpmath.mp.dps = 40


def finite_or_none(x):
    """JSON has no NaN or Infinity: write them as null / strings the tests decode."""
    x = float(x)
    if math.isnan(x):
        return None
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def write(name, cases, note):
    path = OUT / name
    # One case per line keeps diffs readable when a case is added or changed.
    header = json.dumps({"generator": GENERATOR, "note": note})[:-1]
    body = ",\n".join(json.dumps(case, separators=(",", ":")) for case in cases)
    path.write_text(f'{header},"cases":[\n{body}\n]}}\n')
    print(f"{path.name}: {len(cases)} cases, {path.stat().st_size // 1024} KiB")


def rounded(values, decimals=4):
    # Four decimals keep the JSON small; the stored decimal is what both sides read.
    return [float(v) for v in np.round(values, decimals)]


# --- Two-sample Kolmogorov-Smirnov -----------------------------------------

def ks_cases():
    rng = np.random.default_rng(20240611)
    normal = lambda n, loc=0.0, scale=1.0: rounded(rng.normal(loc, scale, n))
    lognormal = lambda n, mu=0.0, sigma=1.0: rounded(rng.lognormal(mu, sigma, n))
    tokens = lambda n, lam: [int(v) for v in rng.poisson(lam, n)]
    same = list(range(1, 41))
    specs = [
        ("tiny 1 vs 1", [0.5], [1.5]),
        ("tiny 1 vs 5", [0.3], normal(5)),
        ("small 3 vs 3", normal(3), normal(3, 1.0)),
        ("small 5 vs 7", normal(5), normal(7, 0.5)),
        ("small 8 vs 12 lognormal", lognormal(8), lognormal(12, 0.8)),
        ("normal 50 vs 50 same", normal(50), normal(50)),
        ("normal 100 vs 80 shifted 0.3", normal(100), normal(80, 0.3)),
        ("normal 200 vs 200 shifted 0.2", normal(200), normal(200, 0.2)),
        ("normal 250 vs 173 scale 1.5", normal(250), normal(173, 0.0, 1.5)),
        ("identical samples 40 vs 40", same, list(same)),
        ("same values, different sizes 40 vs 80", same, same + same),
        ("disjoint 30 vs 45", normal(30), normal(45, 100.0)),
        ("disjoint interleaved sizes 7 vs 9", [1, 2, 3, 4, 5, 6, 7], [8, 9, 10, 11, 12, 13, 14, 15, 16]),
        ("token counts ties 200 vs 150 same", tokens(200, 12), tokens(150, 12)),
        ("token counts ties 300 vs 300 shifted", tokens(300, 20), tokens(300, 22)),
        ("three values 100 vs 120", [int(v) for v in rng.integers(0, 3, 100)], [int(v) for v in rng.integers(0, 3, 120)]),
        ("lognormal 500 vs 400 shifted", lognormal(500), lognormal(400, 0.15)),
        ("lognormal 1000 vs 1000 same", lognormal(1000), lognormal(1000)),
        ("lognormal latency 1000 vs 1000 far apart", lognormal(1000, 0.0), lognormal(1000, 1.0)),
        ("unbalanced 20 vs 2000", normal(20, 0.4), normal(2000)),
        ("coprime 2000 vs 1999 shifted 0.05", normal(2000), normal(1999, 0.05)),
        ("equal 3000 vs 3000 shifted 0.03", normal(3000), normal(3000, 0.03)),
        ("large 5000 vs 4000 shifted 0.05", normal(5000), normal(4000, 0.05)),
        ("large token counts 5000 vs 4999", tokens(5000, 300), tokens(4999, 301)),
        ("beyond auto-exact 12000 vs 11000 token counts", tokens(12000, 40), tokens(11000, 40)),
    ]
    cases = []
    with warnings.catch_warnings():
        # A silent fallback from 'exact' to 'asymp' would mislabel a case.
        warnings.filterwarnings("error", message=".*Switching to")
        warnings.filterwarnings("ignore", message="divide by zero")  # 1 vs 1 under 'asymp': kstwo(n=0) is NaN
        for name, a, b in specs:
            results = {}
            for method in ("auto", "exact", "asymp"):
                if method == "exact" and max(len(a), len(b)) > 10000:
                    continue
                r = stats.ks_2samp(a, b, method=method)
                results[method] = {"d": float(r.statistic), "p": finite_or_none(r.pvalue)}
            # SciPy's documented rule for 'auto': exact when both sizes <= 10000.
            auto_method = "exact" if max(len(a), len(b)) <= 10000 else "asymp"
            cases.append({"name": name, "a": a, "b": b, "autoMethod": auto_method, "results": results})
    return cases


def kstwo_cases():
    """kstwo.sf over a grid that crosses every branch of SciPy's _kolmogn."""
    cases = []
    ns = [1, 2, 3, 5, 10, 20, 50, 100, 140, 141, 200, 500, 1000, 2500, 5000, 10000, 100000, 150000]
    zs = [0.05, 0.2, 0.4, 0.6, 0.8, 0.87, 1.0, 1.2, 1.36, 1.5, 1.63, 1.8, 2.0, 2.5, 3.0, 4.0, 6.0, 10.0, 15.0]
    for n in ns:
        xs = {z / math.sqrt(n) for z in zs}
        xs |= {0.75 / n, 1.0 / n, 1.5 / n, 1 - 1.5 / n, 0.5, 0.6, 0.9}
        xs |= {(1.4 / n) ** (2 / 3), 0.99 * (1.4 / n) ** (2 / 3), math.sqrt(0.754693 / n), math.sqrt(4 / n) * 0.999}
        for x in sorted(xs):
            if 0 < x < 1:
                cases.append({"n": n, "x": x, "sf": finite_or_none(stats.kstwo.sf(x, n))})
    return cases


# --- Multiple testing, intervals, t and z tests ----------------------------

def bh_cases():
    rng = np.random.default_rng(7)
    docs = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000]
    inputs = [
        ("scipy docstring example", docs),
        ("single", [0.03]),
        ("with zeros, ones and ties", [0.0, 0.01, 0.01, 0.04, 0.04, 1.0, 0.5, 0.0]),
        ("uniform 20", [float(v) for v in rng.uniform(size=20)]),
        ("mixture 128 like per-dimension KS", [float(v) for v in np.concatenate([rng.uniform(size=100), rng.uniform(size=28) ** 8])]),
        ("tiny p-values", [float(v) for v in 10.0 ** -rng.uniform(0, 300, size=50)]),
        ("uniform 1000", [float(v) for v in rng.uniform(size=1000)]),
    ]
    return [{"name": name, "p": p, "adjusted": [float(v) for v in stats.false_discovery_control(p, method="bh")]} for name, p in inputs]


def wilson_cases():
    cases = []
    for n in [1, 2, 5, 10, 37, 100, 1000, 123457]:
        for positive in sorted({0, 1, n // 3, n // 2, n - 1, n}):
            if not 0 <= positive <= n:
                continue
            for confidence in [0.8, 0.9, 0.95, 0.99, 0.999]:
                low, high = proportion_confint(positive, n, alpha=1 - confidence, method="wilson")
                cases.append({"positive": positive, "n": n, "confidence": confidence, "rate": positive / n, "low": float(low), "high": float(high)})
    return cases


def welch_cases():
    rng = np.random.default_rng(11)
    specs = [
        ("n 2 vs 2", rng.normal(0, 1, 2), rng.normal(1, 1, 2)),
        ("n 3 vs 9 unequal variance", rng.normal(0, 1, 3), rng.normal(0.5, 4, 9)),
        ("n 10 vs 10 no effect", rng.normal(0, 1, 10), rng.normal(0, 1, 10)),
        ("n 30 vs 45 latency lognormal", rng.lognormal(6, 0.5, 30), rng.lognormal(6.2, 0.7, 45)),
        ("n 200 vs 150 cost", rng.gamma(2, 0.003, 200), rng.gamma(2, 0.0032, 150)),
        ("n 1000 vs 1000 small effect", rng.normal(0, 1, 1000), rng.normal(0.05, 1, 1000)),
        ("n 5000 vs 4000 tiny p", rng.normal(0, 1, 5000), rng.normal(0.4, 1.2, 4000)),
        ("n 5000 vs 5000 huge t", rng.normal(0, 1, 5000), rng.normal(2, 1, 5000)),
        ("n 20000 vs 30000 t near 0", rng.normal(0, 1, 20000), rng.normal(0.0, 1, 30000)),
        ("n 4 vs 100000 lopsided", rng.normal(1, 1, 4), rng.normal(0, 1, 100000)),
    ]
    cases = []
    for name, a, b in specs:
        r = stats.ttest_ind(a, b, equal_var=False)
        na, nb = len(a), len(b)
        va, vb = float(np.var(a, ddof=1)), float(np.var(b, ddof=1))
        pooled = math.sqrt(((na - 1) * va + (nb - 1) * vb) / (na + nb - 2))
        d = (float(np.mean(a)) - float(np.mean(b))) / pooled
        cases.append({
            "name": name,
            "a": {"mean": float(np.mean(a)), "variance": va, "n": na},
            "b": {"mean": float(np.mean(b)), "variance": vb, "n": nb},
            "t": float(r.statistic), "df": float(r.df), "p": float(r.pvalue),
            "cohensD": d, "hedgesG": d * (1 - 3 / (4 * (na + nb) - 9)),
        })
    return cases


def student_t_cases():
    cases = []
    for df in [0.5, 1, 1.5, 2, 3, 4.7, 10, 29.3, 100, 1000, 12345.6, 1e6]:
        for t in [0.0, 1e-6, 0.1, 0.5, 1, 1.96, 2.5, 4, 8, 15, 40, 1e3]:
            # P(|T| >= t) = I_{df/(df+t^2)}(df/2, 1/2), evaluated in 40-digit arithmetic.
            x = mpmath.mpf(df) / (mpmath.mpf(df) + mpmath.mpf(t) ** 2)
            exact = mpmath.betainc(mpmath.mpf(df) / 2, mpmath.mpf(1) / 2, 0, x, regularized=True)
            cases.append({"t": t, "df": df, "twoSidedP": finite_or_none(2 * stats.t.sf(t, df)), "twoSidedPExact": float(exact)})
    return cases


def normal_cases():
    exact_sf = lambda z: float(mpmath.erfc(mpmath.mpf(z) / mpmath.sqrt(2)) / 2)
    sf = [{"z": z, "sf": float(stats.norm.sf(z)), "sfExact": exact_sf(z)} for z in [-8, -3, -1.5, -0.5, 0, 1e-8, 0.3, 1, 1.2247, 1.96, 2.5, 3.5, 5, 8, 12, 20, 37]]
    # mpmath has no erfcinv, and erfinv(2p - 1) loses the tail: solve ncdf(x) = p from SciPy's start.
    exact_quantile = lambda p: float(mpmath.findroot(lambda x: mpmath.ncdf(x) - mpmath.mpf(p), mpmath.mpf(stats.norm.ppf(p))))
    quantile = [{"p": p, "quantile": float(stats.norm.ppf(p)), "quantileExact": exact_quantile(p)} for p in [1e-300, 1e-100, 1e-20, 1e-8, 0.001, 0.0125, 0.02425, 0.025, 0.1, 0.3, 0.5, 0.7, 0.95, 0.975, 0.995, 0.999999]]
    return {"sf": sf, "quantile": quantile}


def proportion_cases():
    rng = np.random.default_rng(13)
    specs = [(5, 10, 3, 10), (0, 10, 1, 10), (0, 50, 0, 40), (30, 30, 25, 30), (120, 1000, 100, 1000),
             (1, 3, 2, 5), (4521, 10000, 4630, 10000), (2, 1_000_000, 40, 1_000_000), (50, 50, 50, 80)]
    for _ in range(8):
        n1, n2 = int(rng.integers(1, 5000)), int(rng.integers(1, 5000))
        specs.append((int(rng.integers(0, n1 + 1)), n1, int(rng.integers(0, n2 + 1)), n2))
    cases = []
    for x1, n1, x2, n2 in specs:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # 0/0 for the no-variance cases is the point
            z, p = proportions_ztest([x1, x2], [n1, n2])
        p1, p2 = x1 / n1, x2 / n2
        cases.append({"x1": x1, "n1": n1, "x2": x2, "n2": n2, "z": finite_or_none(z), "p": finite_or_none(p),
                      "difference": p1 - p2, "cohensH": 2 * math.asin(math.sqrt(p1)) - 2 * math.asin(math.sqrt(p2))})
    return cases


# --- Hashed n-gram text embedding -------------------------------------------
# A second, independent implementation of the scheme documented in
# text-embedding.ts, so that the TypeScript embedder is checked against the
# specification rather than against its own output.

def fnv1a32(text):
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h ^= byte
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def text_features(text):
    # Words are maximal runs of letters and digits (str.isalnum: Unicode L* and N*).
    normalised = unicodedata.normalize("NFKC", text).lower()
    words, current = [], []
    for ch in normalised:
        if ch.isalnum():
            current.append(ch)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    features = [f"w:{w}" for w in words]
    features += [f"b:{words[i - 1]} {words[i]}" for i in range(1, len(words))]
    if words:
        padded = f" {' '.join(words)} "
        features += [f"c:{padded[i:i + 3]}" for i in range(len(padded) - 2)]
    return features


def hashed_embedding(text, dimensions):
    vector = [0.0] * dimensions
    for feature in text_features(text):
        h = fnv1a32(feature)
        vector[h % dimensions] += -1.0 if h >> 31 else 1.0
    norm = math.sqrt(sum(v * v for v in vector))
    return [v / norm for v in vector] if norm > 0 else vector


def embedding_cases():
    texts = [
        "",
        "Hello, world!",
        "Summarize the following support ticket in three bullet points.",
        "  Translate   'good morning'  into   French.  ",
        "Ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３ and ﬁ ligature",
        "Größenordnung über Straße — naïve café",
        "日本語のプロンプトを要約してください",
        "emoji 🚀 rockets 🚀 and tabs\tand\nnewlines",
        "x",
    ]
    fnv = [{"text": t, "hash": fnv1a32(t)} for t in ["", "a", "foobar", "w:hello", "c: he", "🚀"]]
    cases = []
    for dimensions in (8, 128, 1000):
        for text in texts:
            cases.append({"text": text, "dimensions": dimensions, "features": text_features(text) if dimensions == 128 else None,
                          "vector": hashed_embedding(text, dimensions)})
    return [{"fnv1a32": fnv, "embeddings": cases}]


if __name__ == "__main__":
    write("ks-2samp.json", ks_cases(), "scipy.stats.ks_2samp(a, b, method=...) for each method; samples rounded to 4 decimals")
    write("kstwo.json", kstwo_cases(), "scipy.stats.kstwo.sf(x, n)")
    write("benjamini-hochberg.json", bh_cases(), "scipy.stats.false_discovery_control(p, method='bh')")
    write("wilson.json", wilson_cases(), "statsmodels proportion_confint(positive, n, alpha=1-confidence, method='wilson')")
    write("welch.json", welch_cases(), "scipy.stats.ttest_ind(a, b, equal_var=False) on seeded samples; summaries with ddof=1; effect sizes by hand")
    write("student-t.json", student_t_cases(), "2 * scipy.stats.t.sf(t, df); exact: mpmath betainc at 40 digits")
    write("normal.json", [normal_cases()], "scipy.stats.norm.sf(z) and norm.ppf(p); exact: mpmath erfc / erfcinv at 40 digits")
    write("proportions.json", proportion_cases(), "statsmodels proportions_ztest([x1, x2], [n1, n2]); effect sizes by hand")
    write("text-embedding.json", embedding_cases(), "independent Python implementation of the hashed n-gram embedder")
