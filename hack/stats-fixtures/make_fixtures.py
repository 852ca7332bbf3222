#!/usr/bin/env python3
"""Reference values for the operator's statistics (src/main/java/.../analysis/stats), computed
independently with SciPy and statsmodels, written to src/test/resources/stats/fixtures.json.

Run (any recent SciPy/statsmodels; committed values came from the versions printed in the file):
  python3 -m venv /tmp/v && /tmp/v/bin/pip install scipy statsmodels
  /tmp/v/bin/python hack/stats-fixtures/make_fixtures.py
"""
import json
import math
import os

import numpy as np
import scipy
import statsmodels
from scipy import integrate, stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import (confint_proportions_2indep, proportion_confint,
                                          proportions_ztest)

OUT = os.path.join(os.path.dirname(__file__), "../../src/test/resources/stats/fixtures.json")
rng = np.random.default_rng(20261129)


def psi(expected, actual, eps):
    e = np.maximum(np.asarray(expected, float) / np.sum(expected), eps)
    a = np.maximum(np.asarray(actual, float) / np.sum(actual), eps)
    return float(np.sum((a - e) * np.log(a / e)))


def psi_cases():
    cases = [([50, 50], [25, 75]), ([100, 200, 300, 400], [110, 190, 310, 390]),
             ([10, 0, 30, 60], [5, 5, 30, 60]), ([1, 2, 3], [3, 2, 1])]
    for _ in range(6):
        k = int(rng.integers(3, 12))
        e = rng.integers(0, 500, k)
        a = rng.integers(0, 500, k)
        e[0] += 1
        a[0] += 1
        cases.append((e.tolist(), a.tolist()))
    return [{"expected": e, "actual": a, "epsilon": 1e-4, "psi": psi(e, a, 1e-4)} for e, a in cases]


def ks_cases():
    out = []
    for k, n, m, shift in [(5, 200, 300, 0.0), (8, 1000, 1200, 0.3), (10, 400, 400, 1.0),
                           (6, 50, 70, 0.5), (12, 5000, 4000, 0.05)]:
        # integer samples on the bucket bounds 0..k-1: the bucketed D is then the raw D
        x = np.clip(np.round(rng.normal(k / 2, k / 5, n)), 0, k - 1)
        y = np.clip(np.round(rng.normal(k / 2 + shift, k / 5, m)), 0, k - 1)
        ex = [int(np.sum(x == b)) for b in range(k)]
        ac = [int(np.sum(y == b)) for b in range(k)]
        raw = stats.ks_2samp(y, x, method="asymp")
        en = n * m / (n + m)
        out.append({"expected": ex, "actual": ac, "distance": float(raw.statistic),
                    "pValue": float(stats.kstwobign.sf(raw.statistic * math.sqrt(en)))})
    return out


def chi_cases():
    out = []
    for a, b in [([30, 50, 20], [40, 40, 20]), ([500, 300, 200], [520, 280, 200]),
                 ([10, 0, 5], [3, 0, 12]), ([100, 100], [150, 50])]:
        t = np.array([a, b])
        t = t[:, t.sum(axis=0) > 0]
        chi2, p, df, _ = stats.chi2_contingency(t, correction=False)
        out.append({"a": a, "b": b, "statistic": float(chi2), "df": int(df), "pValue": float(p)})
    return out


def gof_cases():
    out = []
    for obs, share in [([821588, 815482], 0.5), ([5000, 5100], 0.5), ([9000, 1100], 0.1),
                       ([700, 300], 0.3), ([1000, 700], 0.5)]:
        exp = [sum(obs) * (1 - share), sum(obs) * share]
        r = stats.chisquare(obs, exp)
        out.append({"control": obs[0], "treatment": obs[1], "share": share,
                    "statistic": float(r.statistic), "pValue": float(r.pvalue)})
    return out


def proportion_cases():
    out = []
    for cs, cn, ts, tn in [(48, 80, 56, 70), (100, 1000, 130, 1000), (5, 40, 9, 40),
                           (1200, 10000, 1180, 10000), (0, 20, 3, 20), (30, 30, 29, 30)]:
        z, p = proportions_ztest([ts, cs], [tn, cn])
        lo, hi = confint_proportions_2indep(ts, tn, cs, cn, method="newcomb", compare="diff",
                                            alpha=0.05)
        wl, wh = proportion_confint(ts, tn, alpha=0.05, method="wilson")
        out.append({"cs": cs, "cn": cn, "ts": ts, "tn": tn, "z": float(z), "pValue": float(p),
                    "low": float(lo), "high": float(hi), "wilsonLow": float(wl),
                    "wilsonHigh": float(wh)})
    return out


def welch_cases():
    out = []
    for m1, s1, n1, m2, s2, n2 in [(10.0, 2.0, 30, 11.0, 3.0, 40), (100, 15, 1000, 101.5, 16, 1100),
                                   (5.2, 0.4, 5, 5.9, 1.1, 7), (0.3, 0.05, 200, 0.3, 0.07, 180)]:
        r = stats.ttest_ind_from_stats(m2, s2, n2, m1, s1, n1, equal_var=False)
        v1, v2 = s1 * s1 / n1, s2 * s2 / n2
        df = (v1 + v2) ** 2 / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1))
        q = stats.t.ppf(0.975, df)
        d = m2 - m1
        out.append({"controlMean": m1, "controlSd": s1, "controlN": n1, "treatmentMean": m2,
                    "treatmentSd": s2, "treatmentN": n2, "t": float(r.statistic),
                    "df": float(df), "pValue": float(r.pvalue),
                    "low": float(d - q * math.sqrt(v1 + v2)),
                    "high": float(d + q * math.sqrt(v1 + v2))})
    return out


def msprt_cases():
    """The mixture likelihood ratio by numerical integration over the mixing distribution."""
    out = []
    for est, var, tau in [(0.01, 0.0001, 0.02), (0.0, 0.0004, 0.01), (0.05, 0.0002, 0.05),
                          (-0.2, 0.01, 0.1), (1.5, 0.25, 1.0)]:
        sd = math.sqrt(var)

        def integrand(theta):
            return (stats.norm.pdf(est, theta, sd) / stats.norm.pdf(est, 0, sd)
                    * stats.norm.pdf(theta, 0, tau))

        lam, _ = integrate.quad(integrand, -20 * tau - abs(est), 20 * tau + abs(est), limit=400)
        out.append({"estimate": est, "variance": var, "tau": tau, "likelihoodRatio": lam,
                    "pValue": min(1.0, 1 / lam)})
    return out


def holm_cases():
    out = []
    for ps in [[0.01, 0.04, 0.03, 0.005], [0.2, 0.001], [0.02, 0.02, 0.02], [0.5]]:
        rej, adj, _, _ = multipletests(ps, alpha=0.05, method="holm")
        out.append({"p": ps, "reject": [bool(x) for x in rej], "adjusted": [float(x) for x in adj]})
    return out


def sample_size_cases():
    out = []
    for p1, d, a, pw in [(0.10, 0.02, 0.05, 0.8), (0.5, 0.05, 0.05, 0.9), (0.02, 0.005, 0.01, 0.8)]:
        za, zb = stats.norm.ppf(1 - a / 2), stats.norm.ppf(pw)
        p2 = p1 + d
        pb = (p1 + p2) / 2
        n = (za * math.sqrt(2 * pb * (1 - pb)) + zb * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))) ** 2 / d ** 2
        out.append({"kind": "rate", "baseline": p1, "effect": d, "alpha": a, "power": pw,
                    "n": math.ceil(n)})
    for sd, d, a, pw in [(10, 1, 0.05, 0.8), (2.5, 0.1, 0.05, 0.9)]:
        z = stats.norm.ppf(1 - a / 2) + stats.norm.ppf(pw)
        out.append({"kind": "mean", "sd": sd, "effect": d, "alpha": a, "power": pw,
                    "n": math.ceil(2 * sd * sd * z * z / d / d)})
    return out


fixtures = {
    "source": "hack/stats-fixtures/make_fixtures.py with SciPy %s and statsmodels %s"
              % (scipy.__version__, statsmodels.__version__),
    "psi": psi_cases(), "ks": ks_cases(), "chiSquare": chi_cases(), "goodnessOfFit": gof_cases(),
    "proportions": proportion_cases(), "welch": welch_cases(), "msprt": msprt_cases(),
    "holm": holm_cases(), "sampleSize": sample_size_cases(),
}
with open(OUT, "w", encoding="utf-8") as f:
    json.dump(fixtures, f, indent=1)
    f.write("\n")
print("wrote", os.path.normpath(OUT))
