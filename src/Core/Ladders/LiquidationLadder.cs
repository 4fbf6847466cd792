namespace PerpGuard.Core.Ladders;

/// <summary>One forced reduction of a position on the way from its first liquidation price to zero.</summary>
/// <param name="Price">Mark price at which the venue acts (unrounded; callers round to tick).</param>
/// <param name="QuantityClosed">Quantity the venue closes at this step (base units or contracts, as the position).</param>
/// <param name="QuantityLeft">Quantity still open after the step; 0 on the last step of a full liquidation.</param>
/// <param name="ShareClosed">The closed quantity as a share of the original quantity, so a ladder's shares add up to 1.</param>
/// <param name="What">What the venue does, in words, e.g. <c>tier 3 → 2: reduce to 250,000 USDT notional</c>.</param>
public sealed record LadderStep(double Price, double QuantityClosed, double QuantityLeft, double ShareClosed, string What);

/// <summary>
/// The forced reductions a position would go through if the mark kept moving against it, in order. Prices move
/// monotonically against the position. Empty when the position has no liquidation price (it cannot be liquidated,
/// or it is already below maintenance at every price).
/// </summary>
/// <param name="Steps">The steps, first (nearest to entry) first.</param>
public sealed record LiquidationLadder(IReadOnlyList<LadderStep> Steps)
{
    /// <summary>Whether the venue takes the whole position at once (no partial step).</summary>
    public bool IsSingleFull => Steps.Count == 1 && Steps[0].QuantityLeft == 0;
}
