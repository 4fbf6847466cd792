using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace PerpGuard.Core.Rules;

/// <summary>One tunable of a rule, with the risk-model §e default and the accepted range (inclusive).</summary>
/// <param name="Name">Name as typed in <c>name=value</c> (matched case-insensitively).</param>
/// <param name="Default">Spec default; NaN when the parameter is required (R3 <c>level</c>).</param>
/// <param name="Min">Smallest accepted value (exclusive when <see cref="ExclusiveMin"/>).</param>
/// <param name="Max">Largest accepted value.</param>
/// <param name="Meaning">What it controls, with its unit, for help texts.</param>
public readonly record struct RuleParameter(string Name, double Default, double Min, double Max, string Meaning)
{
    /// <summary>Only whole numbers are accepted (counts).</summary>
    public bool WholeNumber { get; init; }
    /// <summary>The value is in hours; <c>name=2h</c> is accepted as well as <c>name=2</c>.</summary>
    public bool Hours { get; init; }
    /// <summary><see cref="Min"/> itself is not accepted (a price must be greater than 0).</summary>
    public bool ExclusiveMin { get; init; }
    /// <summary>True when the parameter has no default and must be given.</summary>
    public bool Required => double.IsNaN(Default);

    /// <summary>Whether <paramref name="value"/> is finite, in range and (for counts) whole.</summary>
    public bool Accepts(double value) =>
        double.IsFinite(value) && (ExclusiveMin ? value > Min : value >= Min) && value <= Max && (!WholeNumber || value == Math.Floor(value));

    /// <summary>The accepted range in words: <c>from 0.5 to 0.99</c>, <c>greater than 0</c>, <c>a whole number from 1 to 30</c>.</summary>
    public string RangeText()
    {
        var range = double.IsPositiveInfinity(Max)
            ? (ExclusiveMin ? "greater than " : "at least ") + RuleText.Number(Min)
            : $"from {RuleText.Number(Min)} to {RuleText.Number(Max)}";
        return WholeNumber ? "a whole number " + range : range;
    }

    /// <summary>An example assignment: the default, or a plausible value when required.</summary>
    public string Example() => $"{Name}={RuleText.Number(Required ? 100 : Default)}";
}

/// <summary>
/// A rule in force: which rule and the parameter values that differ from the defaults (names not given take the
/// §e defaults of <see cref="ParametersOf"/>). Two definitions are equal when they have the same kind and the same
/// effective value for every parameter.
/// </summary>
/// <param name="Kind">Which rule.</param>
/// <param name="Values">Given values by parameter name; names are matched case-insensitively.</param>
public sealed record RuleDefinition(RuleKind Kind, IReadOnlyDictionary<string, double> Values)
{
    private static readonly RuleParameter Cooldown = new("cooldown", 4, 0, 24 * 30, "hours after a firing during which the rule does not fire again") { Hours = true };

    private static readonly RuleParameter[] R1 =
    [
        new("flushWin", 24, 1, 168, "window in which the flush drops are measured, hours; also the OIpre/Hpre look-back") { Hours = true },
        new("flushOiDrop", 0.10, 0.01, 0.9, "OI drop from the window max that makes a flush, fraction (0.10 = 10%)"),
        new("flushPxDrop", 0.05, 0.005, 0.9, "price drop from the window max that makes a flush, fraction"),
        new("liqMult", 3, 1, 100, "long liquidations in the flush window versus their 30-day median for that window length, multiple"),
        new("rebuildWin", 168, 1, 24 * 30, "hours after the flush during which the rebuild is watched") { Hours = true },
        new("r", 0.90, 0.5, 0.99, "OI must be back to r × OIpre, fraction"),
        new("eps", 0.005, 0, 0.1, "price must stay this far under Hpre, fraction"),
        Cooldown,
    ];

    private static readonly RuleParameter[] R2 =
    [
        new("fHi", 0.0003, 0.00001, 0.01, "funding per 8 h at or above which a period counts as hot, fraction (0.0003 = 0.03%)"),
        new("nFund", 3, 1, 30, "consecutive hot funding periods needed") { WholeNumber = true },
        new("window", 24, 1, 168, "window of the spot and perp flow (CVD) checks, hours") { Hours = true },
        Cooldown,
    ];

    private static readonly RuleParameter[] R3 =
    [
        new("level", double.NaN, 0, double.PositiveInfinity, "support price S (required)") { ExclusiveMin = true },
        new("sBuf", 0.0025, 0, 0.1, "buffer under S for two 1-hour closes (and over S for re-arm), fraction"),
        new("fast", 0.01, 0, 0.2, "depth under S at which one 15-minute close fires, fraction"),
        Cooldown,
    ];

    private static readonly RuleParameter[] R4 =
    [
        new("db", 5, 0.1, 100, "fall of the annualised basis in 24 h that fires, percentage points"),
        new("nearHigh", 0.02, 0, 0.5, "price must be within this fraction of its 7-day high"),
        new("zPrem", -2, -10, -0.1, "perps only: 30-day robust z of the 8-hour mean premium at or below which the rule fires"),
        Cooldown,
    ];

    private static readonly RuleParameter[] R5 =
    [
        new("zPerp", 3, 0.5, 20, "robust z of hourly perp volume (same hour of day, 14 days) at or above which it fires"),
        new("zSpot", 1, -5, 20, "robust z of hourly spot volume at or below which spot counts as calm"),
        new("ratioMult", 2, 1, 20, "perp/spot volume ratio must be this multiple of its 30-day median"),
        Cooldown,
    ];

    /// <summary>Every tunable of <paramref name="kind"/> with its §e default, in a stable order (cooldown last).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined rule.</exception>
    public static IReadOnlyList<RuleParameter> ParametersOf(RuleKind kind) => kind switch
    {
        RuleKind.OiRebuild => R1,
        RuleKind.HotFunding => R2,
        RuleKind.SupportLost => R3,
        RuleKind.BasisTightening => R4,
        RuleKind.PerpVolumeSpike => R5,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown rule."),
    };

    /// <summary>The rule with every parameter at its default (R3's level is then NaN: see <see cref="InvalidationRules"/>).</summary>
    public static RuleDefinition Default(RuleKind kind) => new(kind, new Dictionary<string, double>());

    /// <summary>R3 on a user level with the default buffers.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is not a finite price greater than 0.</exception>
    public static RuleDefinition Support(double level)
    {
        if (!(level > 0) || !double.IsFinite(level)) throw new ArgumentOutOfRangeException(nameof(level), level, "A support level must be a finite price greater than 0.");
        return new RuleDefinition(RuleKind.SupportLost, new Dictionary<string, double> { ["level"] = level });
    }

    /// <summary>The value of parameter <paramref name="name"/> (case-insensitive), or its default when not given.</summary>
    /// <exception cref="ArgumentException">The rule has no such parameter.</exception>
    public double this[string name]
    {
        get
        {
            var p = Find(Kind, name) ?? throw new ArgumentException($"{RuleKinds.Code(Kind)} has no parameter '{name}'; valid: {Names(Kind)}.", nameof(name));
            return Lookup(p);
        }
    }

    /// <summary>The cooldown after a firing (parameter <c>cooldown</c>, hours).</summary>
    public TimeSpan CooldownTime => TimeSpan.FromHours(this["cooldown"]);

    /// <summary>
    /// Builds a rule from <c>name=value</c> assignments as typed in chat (<c>r=0.9</c>, <c>cooldown=2</c>; hour
    /// parameters also take <c>2h</c>). Names are case-insensitive, values are plain invariant numbers. R3 needs
    /// <c>level</c>. On failure <paramref name="error"/> is one line naming the parameter, its range and an example.
    /// </summary>
    public static bool TryCreate(RuleKind kind, IReadOnlyList<string> assignments, [NotNullWhen(true)] out RuleDefinition? rule, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        rule = null;
        var code = RuleKinds.Code(kind);
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var raw in assignments)
        {
            var text = raw?.Trim() ?? "";
            if (text.Length == 0) continue;
            var eq = text.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                error = $"'{text}' is not name=value; {code} takes {Names(kind)} (e.g. {ParametersOf(kind)[0].Example()}).";
                return false;
            }
            var name = text[..eq].Trim();
            var valueText = text[(eq + 1)..].Trim();
            if (Find(kind, name) is not { } p)
            {
                error = $"unknown parameter '{name}' for {code}; valid: {Names(kind)}.";
                return false;
            }
            if (values.ContainsKey(p.Name))
            {
                error = $"{p.Name} is given twice; give it once, e.g. {p.Example()}.";
                return false;
            }
            if (p.Hours && valueText.EndsWith('h') || p.Hours && valueText.EndsWith('H')) valueText = valueText[..^1].TrimEnd();
            if (!double.TryParse(valueText, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var v)
                || !double.IsFinite(v))
            {
                error = $"'{text}': {p.Name} must be a number {p.RangeText()}, e.g. {p.Example()}.";
                return false;
            }
            if (!p.Accepts(v))
            {
                error = $"{p.Name}={valueText} is out of range: {p.Name} must be {p.RangeText()}{DefaultText(p)}, e.g. {p.Example()}.";
                return false;
            }
            values[p.Name] = v;
        }
        foreach (var p in ParametersOf(kind))
        {
            if (p.Required && !values.ContainsKey(p.Name))
            {
                error = $"{code} needs {p.Name} ({p.Meaning}), {p.RangeText()}, e.g. {p.Example()}.";
                return false;
            }
        }
        rule = new RuleDefinition(kind, values);
        error = null;
        return true;
    }

    /// <summary>
    /// One line for chat listings, e.g. <c>R3 support lost below 100 (sBuf 0.25%)</c>. Shows the thresholds; a
    /// non-default cooldown is appended.
    /// </summary>
    public string Describe()
    {
        var text = Kind switch
        {
            RuleKind.OiRebuild =>
                $"R1 OI rebuild: OI back to {Pct(this["r"])} of pre-flush while price stays {Pct(this["eps"])} under the pre-flush high " +
                $"(flush: OI -{Pct(this["flushOiDrop"])}, price -{Pct(this["flushPxDrop"])} in {RuleText.Number(this["flushWin"])} h; watch {RuleText.Number(this["rebuildWin"])} h)",
            RuleKind.HotFunding =>
                $"R2 hot funding: funding >= {Pct(this["fHi"])}/8h for {RuleText.Number(this["nFund"])} periods while spot does not lead and perp flow does " +
                $"({RuleText.Number(this["window"])} h)",
            RuleKind.SupportLost => DescribeSupport(),
            RuleKind.BasisTightening =>
                $"R4 basis tightening: basis -{RuleText.Number(this["db"])} pp in 24 h (or to half its 7-day mean) within {Pct(this["nearHigh"])} of the 7-day high; " +
                $"perps: premium z <= {RuleText.Number(this["zPrem"])}",
            RuleKind.PerpVolumeSpike =>
                $"R5 perp volume spike: perp volume z >= {RuleText.Number(this["zPerp"])}, spot z <= {RuleText.Number(this["zSpot"])}, " +
                $"perp/spot >= {RuleText.Number(this["ratioMult"])}x its 30-day median",
            _ => throw new InvalidOperationException($"Unknown rule {Kind}."),
        };
        var cooldown = this["cooldown"];
        return cooldown == Cooldown.Default ? text : $"{text} [cooldown {RuleText.Number(cooldown)} h]";
    }

    /// <inheritdoc />
    public bool Equals(RuleDefinition? other)
    {
        if (other is null || other.Kind != Kind) return false;
        foreach (var p in ParametersOf(Kind))
        {
            if (!Lookup(p).Equals(other.Lookup(p))) return false; // double.Equals: NaN equals NaN
        }
        return true;
    }

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Kind);
        foreach (var p in ParametersOf(Kind)) hash.Add(Lookup(p));
        return hash.ToHashCode();
    }

    private string DescribeSupport()
    {
        var level = this["level"];
        var where = double.IsNaN(level) ? "the 7-day swing low" : RuleText.Number(level);
        var fast = this["fast"];
        var extra = fast == 0.01 ? "" : $", fast {Pct(fast)}";
        return $"R3 support lost below {where} (sBuf {Pct(this["sBuf"])}{extra})";
    }

    private double Lookup(RuleParameter p)
    {
        if (Values.TryGetValue(p.Name, out var v)) return v;
        foreach (var (key, value) in Values)
        {
            if (string.Equals(key, p.Name, StringComparison.OrdinalIgnoreCase)) return value;
        }
        return p.Default;
    }

    private static RuleParameter? Find(RuleKind kind, string name)
    {
        foreach (var p in ParametersOf(kind))
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) return p;
        }
        return null;
    }

    private static string Names(RuleKind kind) => string.Join(", ", ParametersOf(kind).Select(p => p.Name));

    private static string DefaultText(RuleParameter p) => p.Required ? "" : $" (default {RuleText.Number(p.Default)})";

    private static string Pct(double fraction) => RuleText.Number(fraction * 100) + "%";
}

/// <summary>Invariant number formatting for rule texts.</summary>
internal static class RuleText
{
    public static string Number(double value) =>
        double.IsNaN(value) ? "n/a" : Math.Round(value, 10).ToString("#,0.##########", CultureInfo.InvariantCulture);
}
