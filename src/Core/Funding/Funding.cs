using PerpGuard.Core.Liquidation;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Funding;

/// <summary>
/// A funding-cost projection for one position at a constant rate. Money is in the settle currency
/// (quote for linear, coin for inverse); positive means the position pays, negative that it receives.
/// </summary>
/// <param name="Rate">Funding rate per interval (positive: longs pay shorts).</param>
/// <param name="IntervalHours">Hours between settlements.</param>
/// <param name="PerInterval">Payment at each settlement.</param>
/// <param name="PerDay">Payment per 24 hours.</param>
/// <param name="HorizonHours">Horizon of <paramref name="OverHorizon"/>.</param>
/// <param name="OverHorizon">Expected payment over the horizon (settlements pro rata: horizon ÷ interval).</param>
/// <param name="AnnualizedRate">The rate annualized (365 days), as the position experiences it (sign by side).</param>
/// <param name="ShareOfMarginPerDay">Per-day payment as a fraction of the position's collateral.</param>
/// <param name="ShareOfMarginOverHorizon">Horizon payment as a fraction of the position's collateral.</param>
public readonly record struct FundingProjection(
    double Rate, double IntervalHours, double PerInterval, double PerDay, double HorizonHours, double OverHorizon,
    double AnnualizedRate, double ShareOfMarginPerDay, double ShareOfMarginOverHorizon);

/// <summary>Funding payments and their effect on an isolated position (liquidation-spec §7).</summary>
public static class FundingCalculator
{
    /// <summary>
    /// Payment by the position at one settlement: linear <c>s·Q·price·F</c>, inverse <c>s·Q·CS/price·F</c> (coin).
    /// Hyperliquid charges on the oracle price; pass it as <paramref name="price"/> when known, else the mark.
    /// </summary>
    public static double PaymentPerInterval(in PositionTerms p, double price, double rate) =>
        p.Sign * MaintenanceSchedule.Notional(p.Contract, p.Quantity, p.ContractSize, price) * rate;

    /// <summary>Projects funding at a constant <paramref name="rate"/> over <paramref name="horizonHours"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Interval or horizon not positive, or price/rate not finite.</exception>
    public static FundingProjection Project(in PositionTerms p, double price, double rate, double intervalHours, double horizonHours)
    {
        if (!(price > 0) || !double.IsFinite(price)) throw new ArgumentOutOfRangeException(nameof(price), price, "Price must be finite and positive.");
        if (!double.IsFinite(rate)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "Rate must be finite.");
        if (!(intervalHours > 0)) throw new ArgumentOutOfRangeException(nameof(intervalHours), intervalHours, "Interval must be positive.");
        if (!(horizonHours > 0)) throw new ArgumentOutOfRangeException(nameof(horizonHours), horizonHours, "Horizon must be positive.");
        var perInterval = PaymentPerInterval(p, price, rate);
        var perDay = perInterval * 24 / intervalHours;
        var overHorizon = perInterval * horizonHours / intervalHours;
        var margin = p.Collateral;
        return new FundingProjection(rate, intervalHours, perInterval, perDay, horizonHours, overHorizon,
            AnnualizedRate: p.Sign * rate * 24 / intervalHours * 365,
            ShareOfMarginPerDay: margin > 0 ? perDay / margin : double.NaN,
            ShareOfMarginOverHorizon: margin > 0 ? overHorizon / margin : double.NaN);
    }

    /// <summary>Number of settlements in <c>(now, now + horizon]</c>, given the next settlement time.</summary>
    public static int SettlementsWithin(DateTimeOffset now, DateTimeOffset nextFunding, double intervalHours, TimeSpan horizon)
    {
        if (!(intervalHours > 0)) throw new ArgumentOutOfRangeException(nameof(intervalHours), intervalHours, "Interval must be positive.");
        var end = now + horizon;
        if (nextFunding <= now) nextFunding = now; // a stale "next" time: treat the next settlement as due now
        if (nextFunding > end) return 0;
        return 1 + (int)Math.Floor((end - nextFunding).TotalHours / intervalHours);
    }

    /// <summary>Liquidation price after <paramref name="intervals"/> settlements of <paramref name="paymentPerInterval"/> come out of the collateral.</summary>
    public static PriceLevel LiquidationAfter(in PositionTerms p, double paymentPerInterval, int intervals)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(intervals);
        return LiquidationEngine.LiquidationPrice(p.WithCollateral(p.Collateral - intervals * paymentPerInterval));
    }

    /// <summary>
    /// Settlements until funding alone, with the mark held at <paramref name="mark"/>, takes equity to maintenance;
    /// 0 when already there; null when the position receives funding (or pays nothing).
    /// </summary>
    public static int? IntervalsUntilLiquidation(in PositionTerms p, double mark, double paymentPerInterval)
    {
        if (!(paymentPerInterval > 0)) return null;
        var cushion = LiquidationEngine.Equity(p, mark) - LiquidationEngine.Requirement(p, mark);
        if (cushion <= 0) return 0;
        var n = Math.Ceiling(cushion / paymentPerInterval);
        return n >= int.MaxValue ? null : (int)n;
    }
}

/// <summary>How venues turn premium into a funding rate, where the rule matters to a projection.</summary>
public static class FundingRates
{
    /// <summary>Binance divides the 8-hour formula by 8/N for N-hour symbols from this date (liquidation-spec §7).</summary>
    public static readonly DateTimeOffset BinanceIntervalScalingSince = new(2025, 9, 18, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Binance USDⓈ-M: <c>F = P̄ + clamp(I − P̄, ±0.05%)</c> with <c>I</c> = 0.01% per 8 h, scaled by N/8 for an
    /// N-hour symbol from 2025-09-18 (before that, every interval charged the full 8-hour formula), then clamped
    /// to the symbol's cap and floor when given.
    /// </summary>
    public static double Binance(double averagePremium, double intervalHours, DateTimeOffset asOf, double interest8h = 0.0001,
        double cap = double.PositiveInfinity, double floor = double.NegativeInfinity)
    {
        var f = averagePremium + Math.Clamp(interest8h - averagePremium, -0.0005, 0.0005);
        if (asOf >= BinanceIntervalScalingSince) f *= intervalHours / 8;
        return Math.Clamp(f, floor, cap);
    }

    /// <summary>Hyperliquid: the 8-hour-equivalent formula charged hourly as F/8, capped at 4% per hour.</summary>
    public static double HyperliquidHourly(double averagePremium, double interest8h = 0.0001)
    {
        var f8 = averagePremium + Math.Clamp(interest8h - averagePremium, -0.0005, 0.0005);
        return Math.Clamp(f8 / 8, -0.04, 0.04);
    }
}
