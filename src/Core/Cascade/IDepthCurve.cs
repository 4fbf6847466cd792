namespace PerpGuard.Core.Cascade;

/// <summary>
/// Cumulative resting opposite-side depth, in USD, within a distance u ≥ 0 of the reference price in the studied
/// direction (risk-model §b): bids below price when long liquidations push it down, asks above it when short
/// liquidations push it up. Non-decreasing in u, 0 at u = 0 (or the depth resting exactly at the reference).
/// </summary>
public interface IDepthCurve
{
    /// <summary>
    /// Distance up to which the curve is measured data. Beyond it values are extrapolated (§b.4), and a cascade that
    /// relies on them is flagged <see cref="CascadeResult.Extrapolated"/>. <see cref="double.PositiveInfinity"/> for
    /// a curve taken as exact everywhere.
    /// </summary>
    double TrustedReach { get; }

    /// <summary>USD resting within distance <paramref name="u"/> (inclusive).</summary>
    /// <param name="u">Distance ≥ 0 (0.01 = 1%).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="u"/> is negative or NaN.</exception>
    double CumulativeUsd(double u);

    /// <summary>
    /// The inverse: the smallest distance u with <see cref="CumulativeUsd"/>(u) ≥ <paramref name="usd"/>, i.e. where
    /// a sell of that many dollars stops (the last level touched, partial fill allowed), extrapolating beyond
    /// <see cref="TrustedReach"/>. 0 for <paramref name="usd"/> ≤ 0.
    /// </summary>
    /// <param name="usd">Cumulative USD to absorb.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="usd"/> is NaN.</exception>
    double DistanceFor(double usd);
}
