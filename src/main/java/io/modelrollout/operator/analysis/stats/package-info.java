/**
 * The statistics of shadow comparisons and A/B tests, pure and without Kubernetes: distribution
 * distances (PSI, bucketed Kolmogorov–Smirnov), chi-square tests, the sample-ratio-mismatch check,
 * two-proportion and Welch tests, the mixture sequential probability ratio test, Holm's correction
 * and sample sizes. Distributions come from Hipparchus. A result that cannot be computed (no data,
 * zero trials, no variance, a NaN input) has NaN fields and {@code defined() == false}; callers
 * treat that as inconclusive, never as a pass.
 */
package io.modelrollout.operator.analysis.stats;
