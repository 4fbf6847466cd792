namespace PerpGuard.Core.Cascade;

/// <summary>One wave of the book walk: the flow that hit the book and where price stood after it.</summary>
/// <param name="FlowUsd">USD sold into the book (bought, upwards) in this wave: the shock, then each wave's forced notional.</param>
/// <param name="Reach">Distance of price from the reference after the wave (cumulative over all waves so far).</param>
public readonly record struct CascadeWave(double FlowUsd, double Reach);

/// <summary>Outcome of one cascade simulation (risk-model §b.3), in distance from the reference price.</summary>
/// <param name="Move">
/// Final distance of price from the reference. When <paramref name="Exhausted"/>, the reach of the last wave the book
/// absorbed within MaxMove (or MaxMove itself when the shock alone passed it): a lower bound on the real move.
/// </param>
/// <param name="ForcedUsd">Forced notional closed (φ applied), including levels fired by the last absorbed reach whose
/// flow then went to the insurance fund, backstop or ADL.</param>
/// <param name="Waves">The waves absorbed by the book, in order. A wave that would pass MaxMove is not listed.</param>
/// <param name="Fired">The forced levels that fired, in firing order (as given, raw notional).</param>
/// <param name="Exhausted">A wave's reach would have passed MaxMove: the book within range could not absorb it.</param>
/// <param name="Extrapolated">The run read the depth curve beyond its trusted reach: a reach beyond it, or an
/// exhaustion decided on depth between the trusted reach and MaxMove.</param>
public sealed record CascadeResult(double Move, double ForcedUsd, IReadOnlyList<CascadeWave> Waves, IReadOnlyList<ForcedLevel> Fired, bool Exhausted, bool Extrapolated)
{
    /// <summary>No chain: no move, no waves.</summary>
    public static CascadeResult None { get; } = new(0, 0, [], [], false, false);

    /// <summary>
    /// True when the chain carried price at least to <paramref name="distance"/>: the move got there, or the book was
    /// exhausted, so price went past MaxMove (the caller checks that <paramref name="distance"/> is within it).
    /// </summary>
    internal bool Reached(double distance) => Move >= distance - CascadeSimulator.Tolerance || Exhausted;
}
