using PerpGuard.Core.Cascade;

namespace PerpGuard.Core.Tests.Cascade;

/// <summary>The §b.6 toy book: D(u) = B·u^1.16 with D(1%) = $200M; long clusters 1.5% → $150M, 3% → $400M, 5% → $600M.</summary>
internal static class Toy
{
    public const double Million = 1e6;

    /// <summary>Band data reaches ±5% (bookDepth); beyond it the power law is an extrapolation.</summary>
    public static PowerLawDepth Depth { get; } = PowerLawDepth.FromReference(200 * Million, 1.16, trustedReach: 0.05);

    public static IReadOnlyList<ForcedLevel> Clusters { get; } =
        [new(0.015, 150 * Million), new(0.03, 400 * Million), new(0.05, 600 * Million)];

    public static CascadeSettings Settings(double survival) => new() { Survival = survival };
}
