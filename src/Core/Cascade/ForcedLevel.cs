namespace PerpGuard.Core.Cascade;

/// <summary>
/// Forced notional waiting at a distance from the reference price, in the direction studied (risk-model §b.2):
/// long liquidations below price when studying a fall, short liquidations above it when studying a rise.
/// The cluster map produces these; the cascade simulator consumes them.
/// </summary>
/// <param name="Distance">Relative distance u ≥ 0 from the reference price (0.015 = 1.5% away).</param>
/// <param name="NotionalUsd">Notional that would be force-closed when the mark reaches the level, in USD (≥ 0).</param>
public readonly record struct ForcedLevel(double Distance, double NotionalUsd);
