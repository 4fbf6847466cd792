using PerpGuard.Core.Cascade;

namespace PerpGuard.Core.Tests.Cascade;

/// <summary>Properties of the walk over seeded random books, cluster sets and shocks (δmark = 0).</summary>
public class CascadePropertyTests
{
    private const int Cases = 400;

    private sealed record Case(PowerLawDepth Depth, ForcedLevel[] Forced, double Participation);

    private static IEnumerable<Case> Generate(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < Cases; i++)
        {
            var depth = PowerLawDepth.FromReference(1e7 + random.NextDouble() * 5e8, 0.9 + random.NextDouble() * 0.6, 0.05);
            var forced = new ForcedLevel[random.Next(0, 16)];
            for (var k = 0; k < forced.Length; k++)
                forced[k] = new ForcedLevel(random.NextDouble() * 0.35, random.Next(0, 10) == 0 ? 0 : Math.Exp(random.NextDouble() * 7) * 1e6);
            yield return new Case(depth, forced, random.NextDouble() * 1.5);
        }
    }

    private static double[] Shocks(Random random) =>
        [.. Enumerable.Range(0, 6).Select(_ => random.NextDouble() < 0.1 ? 0 : Math.Exp(random.NextDouble() * 9) * 1e6).Order()];

    [Fact]
    public void Move_is_monotone_in_the_shock_while_the_book_holds_and_exhaustion_is_monotone()
    {
        var random = new Random(11);
        foreach (var c in Generate(1))
        {
            var settings = new CascadeSettings { Survival = 0.05 + random.NextDouble() * 0.95, Participation = c.Participation };
            CascadeResult? previous = null;
            foreach (var q in Shocks(random))
            {
                var r = CascadeSimulator.Run(c.Depth, c.Forced, q, settings);
                if (previous is not null) AssertNotBelow(previous, r, $"shock {q}");
                previous = r;
            }
        }
    }

    [Fact]
    public void Move_is_monotone_in_one_over_survival()
    {
        var random = new Random(12);
        foreach (var c in Generate(2))
        {
            var q = Math.Exp(random.NextDouble() * 9) * 1e6;
            CascadeResult? previous = null;
            foreach (var w in Enumerable.Range(0, 6).Select(_ => 0.01 + random.NextDouble() * 0.99).OrderDescending())
            {
                var r = CascadeSimulator.Run(c.Depth, c.Forced, q, new CascadeSettings { Survival = w, Participation = c.Participation });
                if (previous is not null) AssertNotBelow(previous, r, $"W {w}");
                previous = r;
            }
        }
    }

    [Fact]
    public void Flows_and_forced_notional_are_never_negative_and_forced_is_bounded_by_the_map()
    {
        var random = new Random(13);
        foreach (var c in Generate(3))
        {
            var settings = new CascadeSettings { Survival = 0.02 + random.NextDouble() * 0.98, Participation = c.Participation, MarkLag = random.NextDouble() * 0.5 };
            foreach (var q in Shocks(random))
            {
                var r = CascadeSimulator.Run(c.Depth, c.Forced, q, settings);
                var total = c.Participation * c.Forced.Sum(l => l.NotionalUsd);
                Assert.All(r.Waves, w => Assert.True(w.FlowUsd >= 0 && w.Reach >= 0));
                Assert.All(r.Fired, l => Assert.True(l.NotionalUsd > 0));
                Assert.InRange(r.ForcedUsd, 0, total * (1 + 1e-12));
                Assert.Equal(c.Participation * r.Fired.Sum(l => l.NotionalUsd), r.ForcedUsd, 1e-6 * Math.Max(1, r.ForcedUsd));
                Assert.True(r.Move <= settings.MaxMove);
                Assert.Equal(r.Fired.Count, r.Fired.Distinct().Count());
                // Reaches never go back.
                for (var i = 1; i < r.Waves.Count; i++) Assert.True(r.Waves[i].Reach >= r.Waves[i - 1].Reach);
            }
        }
    }

    [Fact]
    public void Bisection_agrees_with_the_fixed_point_closed_form()
    {
        // With δmark = 0 the walk stops at the smallest u with W·D(u) ≥ Q + φ·L(u), so the chain reaches x iff
        // Q ≥ max(W·D(x) − φ·L(<x), max over levels c < x of W·D(c) − φ·L(<c)).
        var random = new Random(14);
        foreach (var c in Generate(4))
        {
            var settings = new CascadeSettings { Survival = 0.02 + random.NextDouble() * 0.98, Participation = c.Participation };
            var target = random.NextDouble() * 0.3;
            double Below(double x) => c.Participation * c.Forced.Where(l => l.Distance < x).Sum(l => l.NotionalUsd);
            var expected = settings.Survival * c.Depth.CumulativeUsd(target) - Below(target);
            foreach (var l in c.Forced.Where(l => l.Distance < target && l.NotionalUsd > 0))
                expected = Math.Max(expected, settings.Survival * c.Depth.CumulativeUsd(l.Distance) - Below(l.Distance));
            expected = Math.Max(0, expected);

            var q = CascadeSimulator.MinimumShock(c.Depth, c.Forced, target, settings);

            // Slack: the bisection's 1e-12 relative precision, plus the walk's 1e-12 slack on distances, which moves a
            // threshold by about dD/du·1e-12 (visible when Q* is a small difference of large depths).
            var slack = 1e-9 * Math.Max(expected, 1e6) + 2e-12 * c.Depth.Kappa * settings.Survival * c.Depth.CumulativeUsd(0.35) / Math.Min(target, c.Forced.Select(l => l.Distance).Where(d => d > 0).DefaultIfEmpty(target).Min());
            Assert.True(Math.Abs(q - expected) <= slack, $"target {target}: bisection {q}, closed form {expected}");
        }
    }

    private static void AssertNotBelow(CascadeResult smaller, CascadeResult larger, string what)
    {
        if (smaller.Exhausted) Assert.True(larger.Exhausted, $"{what}: exhaustion went away");
        if (!larger.Exhausted)
        {
            Assert.True(larger.Move >= smaller.Move - 1e-12, $"{what}: move fell from {smaller.Move} to {larger.Move}");
            Assert.True(larger.ForcedUsd >= smaller.ForcedUsd * (1 - 1e-12), $"{what}: forced fell");
        }
    }
}
