using System.Globalization;

namespace PerpGuard.Core.Cascade;

/// <summary>Parameters of one cascade run (risk-model §b.2).</summary>
public sealed record CascadeSettings
{
    /// <summary>Survival scenarios for <see cref="Survival"/>: full book, measured median (0.294), measured p10 (0.059).</summary>
    public static readonly double[] SurvivalScenarios = [1.0, 0.30, 0.06];

    /// <summary>Stressed survival used by the risk score: the measured median share of depth within 1% left during liquidation events.</summary>
    public const double StressSurvival = 0.30;

    /// <summary>W, in (0, 1]: share of displayed depth that survives during the cascade. Effective depth is W·D(u).</summary>
    public double Survival { get; init; } = 1.0;

    /// <summary>φ ≥ 0: share of mapped forced notional actually closed through the book (1 = raw map).</summary>
    public double Participation { get; init; } = 1.0;

    /// <summary>δmark in [0, 1): mark-price lag as a fraction of each wave's move. 0 = mark follows last price.</summary>
    public double MarkLag { get; init; }

    /// <summary>
    /// Distance &gt; 0 beyond which the book counts as exhausted (the cluster map's grid range, 30% by default):
    /// a wave whose reach would pass it is not absorbed by the book (see <see cref="CascadeResult.Exhausted"/>).
    /// </summary>
    public double MaxMove { get; init; } = 0.30;

    /// <summary>Null when the settings are usable; otherwise what is wrong, naming the property.</summary>
    public string? Validate()
    {
        if (!(Survival > 0 && Survival <= 1)) return Invariant($"Survival must be in (0, 1]; got {Survival}.");
        if (!(Participation >= 0) || !double.IsFinite(Participation)) return Invariant($"Participation must be finite and zero or more; got {Participation}.");
        if (!(MarkLag >= 0 && MarkLag < 1)) return Invariant($"MarkLag must be in [0, 1); got {MarkLag}.");
        if (!(MaxMove > 0) || !double.IsFinite(MaxMove)) return Invariant($"MaxMove must be finite and greater than zero; got {MaxMove}.");
        return null;
    }

    /// <summary>Throws when <see cref="Validate"/> finds a problem.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The settings are invalid (ParamName is <paramref name="parameterName"/>).</exception>
    internal void ThrowIfInvalid(string parameterName)
    {
        if (Validate() is { } problem) throw new ArgumentOutOfRangeException(parameterName, problem);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
