package io.modelrollout.operator.routing;

/**
 * What a route carries, read back: the canary's share, the mirror percentage, and whether it
 * matches the intent exactly ({@code verified}).
 */
public record RouteState(int canaryWeight, int mirrorPercent, boolean verified, String detail) {}
