using PerpGuard.Core.Alerts;
using PerpGuard.Core.Probability;
using PerpGuard.Core.Venues;
using static PerpGuard.Core.Tests.Alerts.SweepHarness;

namespace PerpGuard.Core.Tests.Alerts;

/// <summary>
/// Hit chance, funding share, funding flip and cascade zones through the sweep, plus the rule that nothing about a
/// position is evaluated on stale prices. Cooldowns: hit chance 2 h, cascade 1 h, funding and flip 8 h; hysteresis 0.25.
/// </summary>
public sealed class AlertSweepMarketSignalTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly double Day = HitProbability.Years(24);

    private static List<AlertFiring> Of(AlertKind kind, List<AlertFiring> firings) => [.. firings.Where(f => f.Kind == kind)];

    // ---- hit chance -------------------------------------------------------------------------------------------

    [Fact]
    public void Hit_chance_fires_when_volatility_lifts_the_24h_chance_to_the_threshold_and_re_arms_below_75_percent_of_it()
    {
        var world = new SweepHarness();
        var symbol = world.AddSymbol(100);
        var user = world.AddUser([Linear(PositionSide.Long, 94)]);
        double P(double sigma) => HitProbability.Continuous(100, 94, sigma, Day);
        // The numbers below were chosen with these: σ 0.6 → 5.03%, 0.7 → 9.41%, 0.8 → 14.39% (threshold 10%, re-arm 7.5%).
        Assert.InRange(P(0.6), 0.05, 0.051);
        Assert.InRange(P(0.7), 0.094, 0.095);
        Assert.InRange(P(0.8), 0.143, 0.144);

        symbol.Volatility = 0.6;
        Assert.Empty(Of(AlertKind.HitChance, world.RunAt(0 * Minute)));

        symbol.Volatility = 0.8;
        var fired = Assert.Single(Of(AlertKind.HitChance, world.RunAt(1 * Minute)));
        Assert.Equal(AlertStep.Fire, fired.Step);
        Assert.Equal(P(0.8), fired.Value);
        Assert.Equal(AlertSeverity.High, fired.Severity);
        Assert.Equal(AlertUser.Slot(0, AlertKind.HitChance), fired.Slot);
        Assert.Equal(1, user.States[fired.Slot].Level);

        // 9.41% is under the threshold but above the 7.5% re-arm line: still fired, nothing.
        symbol.Volatility = 0.7;
        Assert.Empty(Of(AlertKind.HitChance, world.RunAt(2 * Minute)));

        symbol.Volatility = 0.6;
        var rearmed = Assert.Single(Of(AlertKind.HitChance, world.RunAt(3 * Minute)));
        Assert.Equal(AlertStep.StateOnly, rearmed.Step);
        Assert.Equal(P(0.6), rearmed.Value);

        // Back above within the 2 h cooldown: held; after a re-arm past the cooldown: a new alert.
        symbol.Volatility = 0.8;
        Assert.Equal(AlertStep.Cooldown, Assert.Single(Of(AlertKind.HitChance, world.RunAt(4 * Minute))).Step);
        symbol.Volatility = 0.6;
        Assert.Equal(AlertStep.StateOnly, Assert.Single(Of(AlertKind.HitChance, world.RunAt(5 * Minute))).Step);
        symbol.Volatility = 0.8;
        Assert.Equal(AlertStep.Fire, Assert.Single(Of(AlertKind.HitChance, world.RunAt(121 * Minute))).Step);
    }

    [Fact]
    public void Hit_chance_of_a_short_looks_upwards()
    {
        var world = new SweepHarness();
        var symbol = world.AddSymbol(100);
        symbol.Volatility = 0.7;
        world.AddUser([Linear(PositionSide.Short, 106)]);
        var p = HitProbability.Continuous(100, 106, 0.7, Day);
        Assert.InRange(p, 0.10, 0.11);

        var fired = Assert.Single(Of(AlertKind.HitChance, world.RunAt(TimeSpan.Zero)));

        Assert.Equal(AlertStep.Fire, fired.Step);
        Assert.Equal(p, fired.Value);
    }

    [Fact]
    public void Past_liquidation_only_the_crossing_is_told_and_then_nothing_about_the_position_whatever_the_market_does()
    {
        var world = new SweepHarness();
        var symbol = world.AddSymbol(100);
        symbol.Volatility = 0.8;
        symbol.FundingRate = -0.0001;
        symbol.FundingPeriodsPerDay = 3;
        symbol.LongZones = [new CascadeZone(93, 95, 1, 0)];
        var user = world.AddUser([Linear(PositionSide.Long, 94, quantity: 10, collateral: 10)]);

        // 100: distance 6% (level 2), hit chance 14.39%, liquidation inside a level-1 zone, receiving funding remembered.
        var kinds = world.RunAt(0 * Minute).Select(f => (f.Kind, f.Step)).ToArray();
        Assert.Equal([(AlertKind.Distance, AlertStep.Fire), (AlertKind.HitChance, AlertStep.Fire), (AlertKind.Cascade, AlertStep.Fire), (AlertKind.FundingFlip, AlertStep.StateOnly)], kinds);

        // 93: −1/93 past the liquidation price. Only the crossing: the hit chance (certain now) is not evaluated, nor the rest.
        symbol.Mark = 93;
        var crossing = Assert.Single(world.RunAt(1 * Minute));
        Assert.Equal((AlertKind.Distance, AlertStep.Fire, 5, AlertSeverity.Critical), (crossing.Kind, crossing.Step, (int)crossing.After.Level, crossing.Severity));
        Assert.Equal(-1.0 / 93, crossing.Value, 12);
        var closed = user.States.ToArray();

        // Everything that would otherwise decide something: the funding turns to paying (a flip, and a share of
        // 10·mark·0.01·3/10 = 3·mark ≫ 5%), the zone becomes critical, then disappears, the volatility collapses, and the
        // mark recovers to 100 and 130 (distance and hit chance would re-arm).
        symbol.FundingRate = 0.01;
        symbol.LongZones = [new CascadeZone(93, 95, 2, 0)];
        Assert.Empty(world.RunAt(2 * Minute));
        symbol.Mark = 100;
        Assert.Empty(world.RunAt(3 * Minute));
        symbol.LongZones = [];
        symbol.Volatility = 0.2;
        symbol.Mark = 130;
        Assert.Empty(world.RunAt(40 * Minute));
        symbol.FundingRate = -0.01;
        Assert.Empty(world.RunAt(9 * 60 * Minute));
        Assert.Equal(closed, user.States);

        // Once the bot forgets the position's states (edited), the same market is evaluated again: 130 is 27.7% away
        // (armed, no decision), and the long receiving funding is remembered.
        Array.Clear(user.States);
        var again = Assert.Single(world.RunAt(9 * 60 * Minute + Minute));
        Assert.Equal((AlertKind.FundingFlip, AlertStep.StateOnly), (again.Kind, again.Step));
    }

    [Fact]
    public void Hit_chance_uses_the_configured_horizon()
    {
        var world = new SweepHarness(new AlertSweepSettings { Horizon = TimeSpan.FromHours(1) });
        var symbol = world.AddSymbol(100);
        symbol.Volatility = 0.8;
        world.AddUser([Linear(PositionSide.Long, 94)]);
        // 14.4% over 24 h, but over one hour far below 10%.
        Assert.True(HitProbability.Continuous(100, 94, 0.8, HitProbability.Years(1)) < 0.001);

        // Distance 6% → level 2 still fires; the hit chance does not.
        Assert.Equal([AlertKind.Distance], world.RunAt(TimeSpan.Zero).Select(f => f.Kind));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(double.PositiveInfinity)]
    public void Without_a_usable_volatility_there_is_no_hit_chance(double volatility)
    {
        var world = new SweepHarness();
        var symbol = world.AddSymbol(93);
        symbol.Volatility = volatility;
        world.AddUser([Linear(PositionSide.Long, 94)]);

        var firings = world.RunAt(TimeSpan.Zero);

        Assert.Equal([AlertKind.Distance], firings.Select(f => f.Kind));
    }

    // ---- funding share ---------------------------------------------------------------------------------------

    [Fact]
    public void Linear_funding_share_fires_above_the_threshold_with_value_payment_times_periods_over_collateral()
    {
        var world = new SweepHarness();
        var symbol = world.AddSymbol(50_000);
        symbol.FundingPeriodsPerDay = 3;
        // Long 2 BTC at 50,000 = 100,000 notional on 5,000 isolated margin; no liquidation, so funding alone is evaluated.
        var position = Linear(PositionSide.Long, double.NaN, quantity: 2, collateral: 5_000);
        var user = world.AddUser([position]);
        var slot = AlertUser.Slot(0, AlertKind.Funding);

        // 0.05% per 8 h: 50 per period × 3 = 150 = 3% of margin → nothing (and a first paying observation is no flip).
        symbol.FundingRate = 0.0005;
        Assert.Empty(world.RunAt(0 * Minute));

        // 0.1%: 100 × 3 / 5,000 = 6% ≥ 5%.
        symbol.FundingRate = 0.001;
        var fired = Assert.Single(world.RunAt(1 * Minute));
        Assert.Equal((AlertKind.Funding, AlertStep.Fire, slot, AlertSeverity.Warning), (fired.Kind, fired.Step, fired.Slot, fired.Severity));
        Assert.Equal(position.FundingPayment(50_000, 0.001) * 3 / 5_000, fired.Value);
        Assert.Equal(0.06, fired.Value, 12);

        // 0.07%: 4.2% ≥ 5% × 0.75 = 3.75% → holds; 0.06%: 3.6% → re-armed.
        symbol.FundingRate = 0.0007;
        Assert.Empty(world.RunAt(2 * Minute));
        symbol.FundingRate = 0.0006;
        var rearmed = Assert.Single(world.RunAt(3 * Minute));
        Assert.Equal((AlertKind.Funding, AlertStep.StateOnly), (rearmed.Kind, rearmed.Step));
        Assert.Equal(0.036, rearmed.Value, 12);
        Assert.Equal(0, user.States[slot].Level);
    }

    [Fact]
    public void Inverse_funding_share_is_in_coin_contracts_times_size_over_price()
    {
        var world = new SweepHarness();
        var symbol = world.AddSymbol(50_000);
        symbol.FundingPeriodsPerDay = 3;
        // Short 1,000 contracts of $100 = 2 BTC at 50,000, on 0.1 BTC of margin. Shorts pay when the rate is negative.
        var position = new WatchedPosition { Side = PositionSide.Short, Liquidation = double.NaN, Quantity = 1_000, InverseContractSize = 100, Collateral = 0.1 };
        world.AddUser([position]);

        // −0.05%: 2 × 0.0005 = 0.001 BTC × 3 = 3% → nothing.
        symbol.FundingRate = -0.0005;
        Assert.Empty(world.RunAt(0 * Minute));

        // −0.1%: 0.002 BTC × 3 / 0.1 = 6%.
        symbol.FundingRate = -0.001;
        var fired = Assert.Single(world.RunAt(1 * Minute));
        Assert.Equal((AlertKind.Funding, AlertStep.Fire), (fired.Kind, fired.Step));
        Assert.Equal(position.FundingPayment(50_000, -0.001) * 3 / 0.1, fired.Value);
        Assert.Equal(0.06, fired.Value, 12);

        // The price doubles: the same contracts are 1 BTC, 3% → re-armed.
        symbol.Mark = 100_000;
        var rearmed = Assert.Single(world.RunAt(2 * Minute));
        Assert.Equal((AlertKind.Funding, AlertStep.StateOnly), (rearmed.Kind, rearmed.Step));
        Assert.Equal(0.03, rearmed.Value, 12);
    }

    [Fact]
    public void Funding_share_counts_the_symbols_periods_per_day()
    {
        var world = new SweepHarness();
        var symbol = world.AddSymbol(50_000);
        symbol.FundingPeriodsPerDay = 24;
        world.AddUser([Linear(PositionSide.Long, double.NaN, quantity: 2, collateral: 5_000)]);

        // Hourly 0.01%: 10 × 24 / 5,000 = 4.8% → nothing; 0.011%: 5.28% → fires.
        symbol.FundingRate = 0.0001;
        Assert.Empty(world.RunAt(0 * Minute));
        symbol.FundingRate = 0.00011;
        Assert.Equal(0.0528, Assert.Single(world.RunAt(1 * Minute)).Value, 12);
    }

    [Fact]
    public void Receiving_funding_or_missing_collateral_or_period_count_raises_no_funding_share_alert()
    {
        var world = new SweepHarness();
        var symbol = world.AddSymbol(50_000);
        symbol.FundingPeriodsPerDay = 3;
        symbol.FundingRate = -0.01; // a long receives 30% of margin a day
        world.AddUser([Linear(PositionSide.Long, double.NaN, quantity: 2, collateral: 5_000)]);
        world.AddUser([Linear(PositionSide.Short, double.NaN, quantity: 2, collateral: 0)]); // pays, but no collateral known

        var first = world.RunAt(0 * Minute);

        // Only the long's first receiving observation is recorded (funding-flip memory), nothing about the share.
        var memory = Assert.Single(first);
        Assert.Equal((AlertKind.FundingFlip, AlertStep.StateOnly), (memory.Kind, memory.Step));

        symbol.FundingPeriodsPerDay = double.NaN;
        symbol.FundingRate = 0.01;
        Assert.Empty(world.RunAt(1 * Minute));
    }

    // ---- funding flip ----------------------------------------------------------------------------------------

    [Fact]
    public void Funding_flip_fires_when_a_position_that_was_receiving_starts_paying()
    {
        var world = new SweepHarness();
        var symbol = world.AddSymbol(100);
        symbol.FundingPeriodsPerDay = 3;
        var user = world.AddUser([Linear(PositionSide.Long, double.NaN)]); // collateral 1e9: the share never matters
        var slot = AlertUser.Slot(0, AlertKind.FundingFlip);

        // First observation, paying: not a flip, and nothing to remember (flags stay 0) → no decision at all.
        symbol.FundingRate = 0.0001;
        Assert.Empty(world.RunAt(0 * Minute));
        Assert.Equal(default, user.States[slot]);

        // Receiving: remembered (flag bit 0) as a state-only change; the value is the rate.
        symbol.FundingRate = -0.0001;
        var seen = Assert.Single(world.RunAt(1 * Minute));
        Assert.Equal((AlertKind.FundingFlip, AlertStep.StateOnly, slot, -0.0001), (seen.Kind, seen.Step, seen.Slot, seen.Value));
        Assert.Equal(new AlertState { Flags = 1 }, user.States[slot]);

        // Still receiving: nothing new.
        symbol.FundingRate = -0.0002;
        Assert.Empty(world.RunAt(2 * Minute));

        // Paying: the flip, an info alert; the memory is cleared.
        symbol.FundingRate = 0.0001;
        var flip = Assert.Single(world.RunAt(3 * Minute));
        Assert.Equal((AlertStep.Fire, AlertSeverity.Info, 0.0001), (flip.Step, flip.Severity, flip.Value));
        Assert.Equal(new AlertState { Level = 1, SentLevel = 1, SentAt = T0 + Ms(3 * Minute) }, user.States[slot]);

        // Paying more: stays flipped, nothing. A zero rate is neither side: nothing.
        symbol.FundingRate = 0.0003;
        Assert.Empty(world.RunAt(4 * Minute));
        symbol.FundingRate = 0;
        Assert.Empty(world.RunAt(5 * Minute));

        // Receiving re-arms (state only), paying again within 8 h is held by the cooldown.
        symbol.FundingRate = -0.0001;
        var rearm = Assert.Single(world.RunAt(6 * Minute));
        Assert.Equal(AlertStep.StateOnly, rearm.Step);
        Assert.Equal(new AlertState { Level = 0, SentLevel = 1, Flags = 1, SentAt = T0 + Ms(3 * Minute) }, rearm.After);
        symbol.FundingRate = 0.0001;
        var held = Assert.Single(world.RunAt(7 * Minute));
        Assert.Equal(AlertStep.Cooldown, held.Step);
        Assert.Equal(1, held.After.Level);
        Assert.Equal(0, held.After.Flags);

        // After the cooldown the same sequence alerts again.
        symbol.FundingRate = -0.0001;
        Assert.Equal(AlertStep.StateOnly, Assert.Single(world.RunAt(9 * 60 * Minute)).Step);
        symbol.FundingRate = 0.0001;
        Assert.Equal(AlertStep.Fire, Assert.Single(world.RunAt(9 * 60 * Minute + Minute)).Step);
    }

    [Fact]
    public void Funding_flip_of_a_short_is_a_rate_turning_negative()
    {
        var world = new SweepHarness();
        var symbol = world.AddSymbol(100);
        symbol.FundingPeriodsPerDay = 3;
        world.AddUser([Linear(PositionSide.Short, double.NaN)]);

        symbol.FundingRate = 0.0001; // short receives
        Assert.Equal(AlertStep.StateOnly, Assert.Single(world.RunAt(0 * Minute)).Step);
        symbol.FundingRate = -0.0001; // short pays
        var flip = Assert.Single(world.RunAt(1 * Minute));
        Assert.Equal((AlertKind.FundingFlip, AlertStep.Fire), (flip.Kind, flip.Step));
    }

    // ---- cascade ---------------------------------------------------------------------------------------------

    [Fact]
    public void Cascade_fires_for_a_liquidation_inside_a_zone_escalates_to_level_2_and_re_arms_only_half_a_percent_of_mark_outside()
    {
        var world = new SweepHarness();
        var symbol = world.AddSymbol(100);
        var user = world.AddUser([Linear(PositionSide.Long, 90)]);
        var slot = AlertUser.Slot(0, AlertKind.Cascade);

        // 90 is inside [88, 92] (level 1, zone 0): a warning with the zone index as value.
        symbol.LongZones = [new CascadeZone(88, 92, 1, 0)];
        var warning = Assert.Single(Of(AlertKind.Cascade, world.RunAt(0 * Minute)));
        Assert.Equal((AlertStep.Fire, 1, 0.0, AlertSeverity.Warning, slot), (warning.Step, (int)warning.After.Level, warning.Value, warning.Severity, warning.Slot));

        // A critical-coverage cluster [89, 91] (zone 1) now holds it: level 2, high, inside the cooldown (escalation).
        symbol.LongZones = [new CascadeZone(85, 87, 1, 0), new CascadeZone(89, 91, 2, 1)];
        var high = Assert.Single(Of(AlertKind.Cascade, world.RunAt(1 * Minute)));
        Assert.Equal((AlertStep.Fire, 2, 1.0, AlertSeverity.High), (high.Step, (int)high.After.Level, high.Value, high.Severity));

        // The only zone is [90.3, 93], level 1: 90 is outside it, but by 0.3 < 0.5% × 100 → kept at level 1 (from 2).
        symbol.LongZones = [new CascadeZone(90.3, 93, 1, 0)];
        var kept = Assert.Single(Of(AlertKind.Cascade, world.RunAt(2 * Minute)));
        Assert.Equal((AlertStep.StateOnly, 1, 0.0, AlertSeverity.Warning), (kept.Step, (int)kept.After.Level, kept.Value, kept.Severity));

        // [90.4, 93]: 0.4 outside → still kept; [89, 89.6]: 0.4 above its top → still kept.
        symbol.LongZones = [new CascadeZone(90.4, 93, 1, 0)];
        Assert.Empty(Of(AlertKind.Cascade, world.RunAt(3 * Minute)));
        symbol.LongZones = [new CascadeZone(85, 89.6, 1, 0)];
        Assert.Empty(Of(AlertKind.Cascade, world.RunAt(4 * Minute)));

        // [90.6, 93]: 0.6 outside → re-armed; the value is −1 (no zone).
        symbol.LongZones = [new CascadeZone(90.6, 93, 1, 0)];
        var rearmed = Assert.Single(Of(AlertKind.Cascade, world.RunAt(5 * Minute)));
        Assert.Equal((AlertStep.StateOnly, 0, -1.0), (rearmed.Step, (int)rearmed.After.Level, rearmed.Value));
        Assert.Equal(0, user.States[slot].Level);

        // Back inside a level-1 zone within the hour: level 2 was told 5 min ago → cooldown.
        symbol.LongZones = [new CascadeZone(89, 91, 1, 0)];
        Assert.Equal(AlertStep.Cooldown, Assert.Single(Of(AlertKind.Cascade, world.RunAt(6 * Minute))).Step);
    }

    [Fact]
    public void Cascade_re_arm_margin_scales_with_mark()
    {
        var world = new SweepHarness();
        var symbol = world.AddSymbol(100);
        world.AddUser([Linear(PositionSide.Long, 90)]);
        symbol.LongZones = [new CascadeZone(88, 92, 1, 0)];
        Assert.Single(Of(AlertKind.Cascade, world.RunAt(0 * Minute)));

        // Zone [90.6, 93] is 0.6 away: with mark 150 the margin is 0.75, so the key stays; with mark 100 (0.5) it re-arms.
        symbol.LongZones = [new CascadeZone(90.6, 93, 1, 0)];
        symbol.Mark = 150;
        Assert.Empty(Of(AlertKind.Cascade, world.RunAt(1 * Minute)));
        symbol.Mark = 100;
        Assert.Equal(AlertStep.StateOnly, Assert.Single(Of(AlertKind.Cascade, world.RunAt(2 * Minute))).Step);
    }

    [Fact]
    public void Cascade_of_a_short_reads_the_short_zones_only_and_the_highest_containing_zone_wins()
    {
        var world = new SweepHarness();
        var symbol = world.AddSymbol(100);
        world.AddUser([Linear(PositionSide.Short, 110)]);

        symbol.LongZones = [new CascadeZone(109, 111, 2, 0)];
        Assert.Empty(Of(AlertKind.Cascade, world.RunAt(0 * Minute)));
        symbol.ShortZones = [new CascadeZone(105, 108, 2, 0)];
        Assert.Empty(Of(AlertKind.Cascade, world.RunAt(1 * Minute)));

        symbol.ShortZones = [new CascadeZone(108, 112, 1, 0), new CascadeZone(109, 111, 2, 1), new CascadeZone(107, 113, 1, 2)];
        var fired = Assert.Single(Of(AlertKind.Cascade, world.RunAt(2 * Minute)));
        Assert.Equal((AlertStep.Fire, 2, 1.0, AlertSeverity.High), (fired.Step, (int)fired.After.Level, fired.Value, fired.Severity));
    }

    [Fact]
    public void Without_a_cascade_view_the_cascade_state_is_left_as_it_is()
    {
        var world = new SweepHarness();
        var symbol = world.AddSymbol(100);
        var user = world.AddUser([Linear(PositionSide.Long, 90)]);
        symbol.LongZones = [new CascadeZone(88, 92, 2, 0)];
        world.RunAt(0 * Minute);

        symbol.LongZones = null;
        Assert.Empty(Of(AlertKind.Cascade, world.RunAt(1 * Minute)));
        Assert.Equal(2, user.States[AlertUser.Slot(0, AlertKind.Cascade)].Level);

        // An empty view (no zones at all) is a view: the key re-arms.
        symbol.LongZones = [];
        Assert.Equal(AlertStep.StateOnly, Assert.Single(Of(AlertKind.Cascade, world.RunAt(2 * Minute))).Step);
    }

    // ---- stale prices ----------------------------------------------------------------------------------------

    [Fact]
    public void A_stale_symbol_produces_no_position_decisions_not_even_the_crossing()
    {
        var world = new SweepHarness();
        var symbol = world.AddSymbol(100);
        symbol.Fresh = false;
        symbol.Volatility = 0.8;
        symbol.FundingRate = 0.01;
        symbol.FundingPeriodsPerDay = 3;
        symbol.LongZones = [new CascadeZone(93, 95, 2, 0)];
        var user = world.AddUser([Linear(PositionSide.Long, 94, quantity: 10, collateral: 10)]);

        // Distance 6%, hit chance 14.39%, liquidation in a critical zone, funding 10·100·0.01·3/10 = 300% of margin: stale, nothing.
        Assert.Empty(world.RunAt(0 * Minute));
        Assert.All(user.States, s => Assert.Equal(default, s));

        // The same market, fresh: every position kind but the flip (first paying observation) decides something.
        symbol.Fresh = true;
        var kinds = world.RunAt(1 * Minute).Select(f => f.Kind).ToArray();
        Assert.Equal([AlertKind.Distance, AlertKind.HitChance, AlertKind.Cascade, AlertKind.Funding], kinds);
        var told = user.States.ToArray();

        // Stale again while the mark goes past liquidation (90: −4/90): not even the crossing is told on stale data.
        symbol.Fresh = false;
        symbol.Mark = 90;
        Assert.Empty(world.RunAt(2 * Minute));
        Assert.Equal(told, user.States);

        // Fresh at 90: the crossing (an escalation from level 2), and nothing else.
        symbol.Fresh = true;
        var crossing = Assert.Single(world.RunAt(3 * Minute));
        Assert.Equal((AlertKind.Distance, AlertStep.Fire, 5), (crossing.Kind, crossing.Step, (int)crossing.After.Level));
    }
}
