namespace PerpGuard.Core.Rules;

/// <summary>
/// One number behind a rule's decision, usually shown next to the threshold it was compared with. Unit <c>%</c>
/// means the value is already multiplied by 100 (0.9 → 90); <c>pp</c> is percentage points; <c>z</c> a robust z.
/// </summary>
/// <param name="Name">What the number is (<c>OI now</c>, <c>threshold r·OIpre</c>).</param>
/// <param name="Value">The number; NaN when it could not be computed.</param>
/// <param name="Unit">Unit text: <c>USD</c>, <c>price</c>, <c>%</c>, <c>pp</c>, <c>z</c>, <c>h</c>, <c>x</c>, <c>count</c>, <c>unix s</c>.</param>
public readonly record struct Evidence(string Name, double Value, string Unit);

/// <summary>The outcome of one rule at one time.</summary>
/// <param name="Kind">Which rule.</param>
/// <param name="Fired">Every condition of the rule holds now (the tracker decides whether that is a new alert).</param>
/// <param name="Severity">In [0, 1], by the §e formula of the rule; 0 when not fired.</param>
/// <param name="Evidence">The numbers compared against their thresholds, whether or not the rule fired.</param>
/// <param name="Missing">Inputs that were absent and how the rule degraded (empty when all inputs were there).</param>
/// <param name="Rearm">The rule's re-arm (hysteresis) condition holds now.</param>
/// <param name="Evaluable">False when the inputs are insufficient to decide at all; <paramref name="Fired"/> is then false.</param>
public sealed record RuleResult(RuleKind Kind, bool Fired, double Severity, IReadOnlyList<Evidence> Evidence, IReadOnlyList<string> Missing, bool Rearm, bool Evaluable)
{
    /// <summary>
    /// The event a firing refers to, when the rule has one (R1: the flush time). A result with a different anchor
    /// than the last firing's re-arms <see cref="RuleTracker"/> (R1: "a new flush occurs"). Null for the other rules.
    /// </summary>
    public DateTimeOffset? Anchor { get; init; }

    /// <summary>The evidence value named <paramref name="name"/>, or NaN when absent.</summary>
    public double Value(string name)
    {
        foreach (var e in Evidence)
        {
            if (string.Equals(e.Name, name, StringComparison.Ordinal)) return e.Value;
        }
        return double.NaN;
    }
}
