using System.Globalization;
using PerpGuard.Core.Liquidation;

namespace PerpGuard.Core.Portfolio;

/// <summary>One open position of a portfolio, with the mark it is stressed from.</summary>
/// <param name="Id">Unique within the portfolio; results and errors name the position by it.</param>
/// <param name="Asset">Underlying asset, e.g. "BTC"; scenarios and market models address positions by it.</param>
/// <param name="Terms">The position as the liquidation engine sees it. For a cross position only the account's
/// <see cref="Portfolio.CrossWallet"/> counts as collateral; its own <see cref="PositionTerms.Collateral"/> is ignored.</param>
/// <param name="Mark">Current mark price the scenario moves from.</param>
public sealed record PortfolioPosition(string Id, string Asset, PositionTerms Terms, double Mark)
{
    /// <summary>Sensitivity of this asset's returns to BTC's (BTC itself 1); scales <see cref="BtcMove"/>.</summary>
    public double Beta { get; init; } = 1;
}

/// <summary>
/// A trader's positions. Isolated positions carry their own collateral in their terms; every cross position shares
/// <paramref name="CrossWallet"/> as one account (linear, USDT-settled, so the account math is in one currency).
/// </summary>
/// <param name="Positions">The positions, in the order results are reported.</param>
/// <param name="CrossWallet">Wallet balance of the cross account (ignored when no position is cross).</param>
public sealed record Portfolio(IReadOnlyList<PortfolioPosition> Positions, double CrossWallet);

/// <summary>
/// A price shock applied to a whole portfolio. A scenario has one driver (the BTC move, the common move, or a scale);
/// <see cref="MoveOf"/> gives each position's fractional price move when that driver is scaled by <c>scale</c>, which
/// is how kill moves are searched. The built-in scenarios are linear in <c>scale</c>.
/// </summary>
public abstract record Scenario
{
    /// <summary>Short human label, e.g. "BTC −10%".</summary>
    public abstract string Label { get; }

    /// <summary>Fractional price move of <paramref name="p"/> (−0.1 = −10%) with the driver scaled by <paramref name="scale"/> (1 = as given).</summary>
    public abstract double MoveOf(PortfolioPosition p, double scale);

    /// <summary>
    /// The driver's value at <paramref name="scale"/>, the unit kill moves are reported in: the BTC move for
    /// <see cref="BtcMove"/>, the common move for <see cref="AllMove"/>, the scale itself otherwise.
    /// </summary>
    public virtual double Driver(double scale) => scale;

    /// <summary>Formats a fractional move as a signed percentage with a real minus sign ("−10%", "+2.5%").</summary>
    protected static string Percent(double move)
    {
        var text = Math.Abs(move * 100).ToString("0.##", CultureInfo.InvariantCulture);
        return (move < 0 ? "−" : "+") + text + "%";
    }
}

/// <summary>"BTC −10%": every position moves by its <see cref="PortfolioPosition.Beta"/> × <paramref name="Move"/>.</summary>
/// <param name="Move">BTC's fractional move.</param>
public sealed record BtcMove(double Move) : Scenario
{
    /// <inheritdoc/>
    public override string Label => "BTC " + Percent(Move);

    /// <inheritdoc/>
    public override double MoveOf(PortfolioPosition p, double scale)
    {
        ArgumentNullException.ThrowIfNull(p);
        return p.Beta * Move * scale;
    }

    /// <inheritdoc/>
    public override double Driver(double scale) => Move * scale;
}

/// <summary>"all −5%": every position moves by <paramref name="Move"/>, whatever its beta.</summary>
/// <param name="Move">The common fractional move.</param>
public sealed record AllMove(double Move) : Scenario
{
    /// <inheritdoc/>
    public override string Label => "all " + Percent(Move);

    /// <inheritdoc/>
    public override double MoveOf(PortfolioPosition p, double scale) => Move * scale;

    /// <inheritdoc/>
    public override double Driver(double scale) => Move * scale;
}

/// <summary>One move per asset ("BTC −10%, ETH −15%"); assets not listed do not move. The driver is the scale.</summary>
/// <param name="Moves">Fractional move per asset name (matched exactly).</param>
public sealed record SymbolMoves(IReadOnlyDictionary<string, double> Moves) : Scenario
{
    /// <inheritdoc/>
    public override string Label =>
        string.Join(", ", Moves.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => m.Key + " " + Percent(m.Value)));

    /// <inheritdoc/>
    public override double MoveOf(PortfolioPosition p, double scale)
    {
        ArgumentNullException.ThrowIfNull(p);
        return Moves.TryGetValue(p.Asset, out var move) ? move * scale : 0;
    }
}

/// <summary>What one scenario does to one position.</summary>
/// <param name="Id">The position's id.</param>
/// <param name="Asset">The position's asset.</param>
/// <param name="ShockedPrice">Mark after the move (clamped to [0, 11 × mark]: a price cannot go below zero, and searches stop at +1000%).</param>
/// <param name="Liquidated">Whether the position is liquidated on the way to the shocked price (cross: the account is).</param>
/// <param name="Pnl">Unrealized PnL at the shocked price in USD (inverse: the coin PnL valued at the shocked price).</param>
/// <param name="Loss">What the trader loses on it, ≥ 0: the whole collateral when an isolated position is liquidated
/// (what remains goes to the venue's fee or insurance fund), otherwise the negative part of <paramref name="Pnl"/>,
/// capped at the collateral backing it (the cross wallet for cross positions).</param>
/// <param name="KillMove">The scenario driver's value (see <see cref="Scenario.Driver"/>) at which the position is
/// liquidated, searched in the scenario's direction until its price reaches 0 or +1000%; null when never.
/// Cross positions share the account's.</param>
/// <param name="Order">1-based order of liquidation among the positions liquidated in this scenario (dense: positions
/// liquidated at the same move, such as one cross account, share a rank); null when not liquidated.</param>
public sealed record PositionStress(string Id, string Asset, double ShockedPrice, bool Liquidated, double Pnl, double Loss, double? KillMove, int? Order);

/// <summary>What one scenario does to a portfolio.</summary>
/// <param name="Scenario">The scenario.</param>
/// <param name="Positions">One entry per position, in portfolio order.</param>
/// <param name="TotalLoss">How much poorer the trader is after the shock, ≥ 0: liquidated isolated positions lose their
/// collateral, a liquidated cross account its wallet, everything else its PnL at the shocked price; gains offset losses.</param>
/// <param name="AccountLiquidated">Whether the cross account is liquidated (false without cross positions).</param>
/// <param name="AccountKillMove">Driver value at which the cross account is liquidated; null when never (or no cross positions).</param>
/// <param name="FirstKillMove">The driver value of the first liquidation of any position, even beyond this scenario; null when none.</param>
public sealed record StressResult(Scenario Scenario, IReadOnlyList<PositionStress> Positions, double TotalLoss, bool AccountLiquidated, double? AccountKillMove, double? FirstKillMove);
