namespace PerpGuard.Core.Rules;

/// <summary>The invalidation rules of risk-model §e, numbered as there (R1..R5).</summary>
public enum RuleKind
{
    /// <summary>R1: open interest rebuilds to pre-flush levels while price fails to reclaim the highs.</summary>
    OiRebuild = 1,
    /// <summary>R2: funding stays high without spot-led demand.</summary>
    HotFunding = 2,
    /// <summary>R3: loss of a key support level.</summary>
    SupportLost = 3,
    /// <summary>R4: basis (or perp premium) tightening into strength.</summary>
    BasisTightening = 4,
    /// <summary>R5: perp volume spike while spot stays calm.</summary>
    PerpVolumeSpike = 5,
}

/// <summary>Codes, titles and parsing of <see cref="RuleKind"/>.</summary>
public static class RuleKinds
{
    /// <summary>All rules in order R1..R5.</summary>
    public static IReadOnlyList<RuleKind> All { get; } =
        [RuleKind.OiRebuild, RuleKind.HotFunding, RuleKind.SupportLost, RuleKind.BasisTightening, RuleKind.PerpVolumeSpike];

    /// <summary>The short code: <c>R1</c>..<c>R5</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined rule.</exception>
    public static string Code(RuleKind kind) => kind switch
    {
        RuleKind.OiRebuild => "R1",
        RuleKind.HotFunding => "R2",
        RuleKind.SupportLost => "R3",
        RuleKind.BasisTightening => "R4",
        RuleKind.PerpVolumeSpike => "R5",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown rule."),
    };

    /// <summary>A one-line title for listings.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a defined rule.</exception>
    public static string Title(RuleKind kind) => kind switch
    {
        RuleKind.OiRebuild => "OI rebuilds while price fails the highs",
        RuleKind.HotFunding => "funding stays high without spot-led demand",
        RuleKind.SupportLost => "support lost",
        RuleKind.BasisTightening => "basis tightening into strength",
        RuleKind.PerpVolumeSpike => "perp volume spike while spot stays calm",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown rule."),
    };

    /// <summary>
    /// Parses a rule name as a user types it, case-insensitive: the code (<c>R1</c>, <c>r3</c>), the bare number
    /// (<c>3</c>), the enum name (<c>SupportLost</c>) or a keyword: <c>oi</c>/<c>rebuild</c> → R1,
    /// <c>funding</c> → R2, <c>support</c> → R3, <c>basis</c>/<c>premium</c> → R4, <c>volume</c>/<c>spike</c> → R5.
    /// </summary>
    public static bool TryParse(string? text, out RuleKind kind)
    {
        kind = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim().ToLowerInvariant().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        RuleKind? found = s switch
        {
            "r1" or "1" or "oi" or "rebuild" or "oirebuild" => RuleKind.OiRebuild,
            "r2" or "2" or "funding" or "hotfunding" => RuleKind.HotFunding,
            "r3" or "3" or "support" or "supportlost" => RuleKind.SupportLost,
            "r4" or "4" or "basis" or "premium" or "basistightening" => RuleKind.BasisTightening,
            "r5" or "5" or "volume" or "spike" or "perpvolumespike" => RuleKind.PerpVolumeSpike,
            _ => null,
        };
        if (found is not { } k) return false;
        kind = k;
        return true;
    }
}
