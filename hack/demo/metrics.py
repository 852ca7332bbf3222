#!/usr/bin/env python3
"""Writes the demo's stand-in metrics (for hack/demo/exporter.py): error ratios of the canary
versions, prediction-score histograms per version for the shadow run, and checkout counters per
version for the A/B test. Counters grow from the moment the file is written."""
import sys

MODEL = 'model="fraud-detector"'
BOUNDS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
SCORES = [0.02, 0.05, 0.1, 0.15, 0.18, 0.18, 0.15, 0.1, 0.05, 0.02]
PER_SECOND = 40


def histogram(version, shares):
    labels = '%s,version="%s"' % (MODEL, version)
    cumulative = 0.0
    for bound, share in zip(BOUNDS + ["+Inf"], shares):
        cumulative += share
        yield 'model_prediction_score_bucket{%s,le="%s"} 0 +%.3f' % (labels, bound, PER_SECOND * cumulative)
    yield "model_prediction_score_count{%s} 0 +%d" % (labels, PER_SECOND)


def checkout(version, trials, conversion):
    labels = '%s,version="%s"' % (MODEL, version)
    yield "checkout_started_total{%s} 0 +%.3f" % (labels, trials)
    yield "checkout_completed_total{%s} 0 +%.3f" % (labels, trials * conversion)


lines = [
    'model_error_ratio{%s,version="2.4.0"} 0.004' % MODEL,
    'model_error_ratio{%s,version="2.5.0"} 0.09' % MODEL,
]
lines += histogram("2.4.0", SCORES)
lines += histogram("2.6.0", SCORES)            # the shadow predicts like stable
lines += checkout("2.6.0", 50, 0.10)           # control
lines += checkout("2.7.0", 50, 0.16)           # treatment: more checkouts
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("\n".join(lines) + "\n")
