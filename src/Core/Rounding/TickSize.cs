using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Rounding;

/// <summary>Which way to round a price onto the tick grid. The caller always decides.</summary>
public enum TickRounding
{
    /// <summary>Nearest tick, halves away from zero.</summary>
    Nearest,
    /// <summary>Toward zero (floor for positive prices).</summary>
    Down,
    /// <summary>Away from zero (ceiling for positive prices).</summary>
    Up,
}

/// <summary>
/// A venue's price increment. Rounding happens only at the edges (display, comparisons with venue output),
/// never inside the math, and uses decimal so that 57123.4 stays 57123.4.
/// </summary>
public readonly record struct TickSize
{
    private TickSize(decimal value) => Value = value;

    /// <summary>The increment; <c>default</c> is zero and means "do not round".</summary>
    public decimal Value { get; }

    /// <summary>Creates a tick size.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is not finite and positive.</exception>
    public static TickSize Of(double value)
    {
        if (!(value > 0) || !double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "Tick size must be finite and positive.");
        return new TickSize((decimal)value);
    }

    /// <summary>
    /// The rounding that never flatters a position: a long's liquidation price rounds up (toward the mark),
    /// a short's rounds down.
    /// </summary>
    public static TickRounding Conservative(PositionSide side) => side == PositionSide.Long ? TickRounding.Up : TickRounding.Down;

    /// <summary>Rounds <paramref name="price"/> onto the grid; unchanged when the tick is zero or the price is out of decimal range.</summary>
    public double Round(double price, TickRounding rounding)
    {
        if (Value == 0 || !double.IsFinite(price) || Math.Abs(price) > 1e15) return price;
        var steps = (decimal)price / Value;
        steps = rounding switch
        {
            TickRounding.Nearest => decimal.Round(steps, MidpointRounding.AwayFromZero),
            TickRounding.Down => decimal.Floor(steps),
            TickRounding.Up => decimal.Ceiling(steps),
            _ => throw new ArgumentOutOfRangeException(nameof(rounding), rounding, "Unknown rounding."),
        };
        return (double)(steps * Value);
    }
}
