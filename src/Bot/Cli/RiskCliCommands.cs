using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PerpGuard.Bot.Market;
using PerpGuard.Bot.Options;
using PerpGuard.Bot.Rendering;
using PerpGuard.Bot.Replay;
using PerpGuard.Bot.Risk;
using PerpGuard.Core.Cascade;
using PerpGuard.Core.Clusters;
using PerpGuard.Core.Margin;
using PerpGuard.Core.Market;
using PerpGuard.Core.Text;
using PerpGuard.Core.Venues;

namespace PerpGuard.Bot.Cli;

/// <summary>
/// <c>perpguard clusters &lt;symbol&gt;</c> and <c>perpguard cascade &lt;symbol&gt;</c>: the estimated cluster map and the
/// cascade simulation for scripts, from a replay scenario (as of its end, or <c>--at</c>) or live from the venue's
/// public API (the last 24 h of 5-minute candles and open interest, the one call each venue serves).
/// </summary>
internal sealed class RiskCliCommands
{
    private readonly SymbolArguments _args = new("Read a replay scenario (as of its end, or --at) instead of the venue.");
    private readonly Option<DateTimeOffset?> _at = new("--at") { Description = "With --replay: the moment to look at (ISO 8601, UTC), default the scenario's end." };
    private readonly Option<double?> _w = new("--w") { Description = "Depth survival W for the simulation, in (0, 1]; default Risk:StressSurvival (0.3)." };
    private readonly Option<string> _shock = new("--shock") { Description = "Initial aggressive flow in USD for the simulation (50M, 1.5B); default: the trigger cost of each side." };

    public RiskCliCommands()
    {
        Clusters = new Command("clusters", "Estimated liquidation clusters around price (an estimate from candles, open interest and taker flow).");
        Cascade = new Command("cascade", "Cascade simulation against the book: coverage, trigger cost, reach and the waves of a chain, for both sides.");
        _args.AddTo(Clusters);
        _args.AddTo(Cascade);
        Clusters.Add(_at);
        Cascade.Add(_at);
        Cascade.Add(_w);
        Cascade.Add(_shock);
    }

    public Command Clusters { get; }

    public Command Cascade { get; }

    public async Task<int> RunAsync(ParseResult parse, IServiceProvider services, CliStreams streams, CancellationToken cancellationToken)
    {
        var isCascade = parse.CommandResult.Command == Cascade;
        if (!_args.TryResolve(parse, isCascade ? "cascade" : "clusters", out var instrument, out var error)) return await FailAsync(streams, error);
        if (!_args.TryLoadReplay(parse, out var scenario, out error)) return await FailAsync(streams, error);
        var venue = instrument.Venue;
        var options = services.GetRequiredService<IOptions<RiskOptions>>().Value;
        var survival = parse.GetValue(_w) ?? options.StressSurvival;
        if (!(survival > 0 && survival <= 1))
            return await FailAsync(streams, $"--w must be a share of depth in (0, 1], e.g. --w 0.3 (got {survival.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
        double? shock = null;
        if (parse.GetValue(_shock) is { } shockText)
        {
            if (!NumberText.TryParse(shockText, out var s) || !(s > 0))
                return await FailAsync(streams, $"--shock '{shockText}' is not a positive USD amount; write it like 50M, 250,000,000 or 1.5B");
            shock = s;
        }

        var key = new MarketKey(venue, instrument.Symbol);
        var map = ClusterMaps.For(services.GetRequiredService<TierCatalog>(), key, options);
        SymbolRisk risk;
        string source;
        if (scenario is not null)
        {
            var at = parse.GetValue(_at) ?? scenario.Header.End;
            if (at < scenario.Header.Start || at > scenario.Header.End)
                return await FailAsync(streams, $"--at {at:yyyy-MM-ddTHH:mm}Z is outside the scenario ({scenario.Header.Start:yyyy-MM-ddTHH:mm}Z to {scenario.Header.End:yyyy-MM-ddTHH:mm}Z)");
            var state = new MarketState(services.GetRequiredService<IOptions<MarketOptions>>(), new ReplayClock(at, 1));
            MarketCommand.Apply(scenario, state, at);
            var bars = scenario.Events.OfType<BarEvent>()
                .Where(b => b.Key == key && b.Market == MarketKind.Perp && b.Bar.Closed && b.Bar.CloseTime <= at && b.Bar.OpenTime >= at - options.MapLookback && MarketSanity.Check(b.Bar) is null)
                .Select(b => b.Bar).OrderBy(b => b.OpenTime).ToList();
            var oi = scenario.Events.OfType<OpenInterestEvent>().Where(o => o.Key == key && o.At <= at).Select(o => o.Point).OrderBy(o => o.Time).ToList();
            foreach (var (bar, coins) in SymbolHistory.WithOpenInterest(bars, oi)) map.Add(bar, coins);
            risk = SymbolRisk.Build(key, at, state.View(key), map, bars.Count == 0 ? "the scenario has no candles for this symbol" : null, bars, options, survival);
            source = $"replay {scenario.Header.Name}, as of {at:yyyy-MM-dd HH:mm} UTC";
        }
        else
        {
            if (parse.GetValue(_at) is not null) return await FailAsync(streams, "--at needs --replay: live data is always now");
            var client = services.GetServices<IVenueClient>().FirstOrDefault(c => c.Venue == venue);
            if (client is null) return await FailAsync(streams, $"no {venue.Name()} client in this build");
            var time = services.GetRequiredService<TimeProvider>();
            var state = services.GetRequiredService<MarketState>();
            IReadOnlyList<Bar> bars;
            try
            {
                foreach (var t in await client.GetTickersAsync([instrument.Symbol], cancellationToken)) state.Set(key, t);
                var book = await client.GetOrderBookAsync(instrument.Symbol, 1000, cancellationToken);
                if (MarketSanity.Check(book, out var summary) is null) state.Set(key, summary!, book);
                bars = [.. (await client.GetBarsAsync(instrument.Symbol, MarketKind.Perp, TimeSpan.FromMinutes(5), 288, cancellationToken)).Where(b => b.Closed)];
                var oi = await client.GetOpenInterestHistoryAsync(instrument.Symbol, TimeSpan.FromMinutes(5), 288, cancellationToken);
                foreach (var (bar, coins) in SymbolHistory.WithOpenInterest(bars, [.. oi.OrderBy(o => o.Time)])) map.Add(bar, coins);
            }
            catch (MarketDataException ex)
            {
                await streams.Error.WriteLineAsync($"error: {ex.Message}");
                return 1;
            }
            risk = SymbolRisk.Build(key, time.GetUtcNow(), state.View(key), map, null, bars, options, survival);
            source = $"live from {services.GetRequiredService<IOptions<VenuesOptions>>().Value.For(venue).BaseUrl} (last 24 h of candles)";
        }

        await using var output = new StreamWriter(streams.Output, new UTF8Encoding(false), leaveOpen: true);
        if (risk.Price is null || risk.Map is null)
        {
            await streams.Error.WriteLineAsync($"error: {key.Venue.Name()} {key.Symbol}: {risk.PriceGap ?? risk.MapGap}");
            return 1;
        }
        if (!isCascade)
        {
            if (parse.GetValue(_args.Json)) await output.WriteLineAsync(JsonSerializer.Serialize(ClustersJson.From(risk, source), RiskJsonContext.Default.ClustersJson));
            else foreach (var line in ClusterLines(risk, source)) await output.WriteLineAsync(line);
            return 0;
        }
        if (risk.Bids is null || risk.Asks is null)
        {
            await streams.Error.WriteLineAsync($"error: {key.Venue.Name()} {key.Symbol}: no depth to simulate against ({risk.DepthGap})");
            return 1;
        }
        var settings = new CascadeSettings { Survival = survival, Participation = 1 };
        var down = CascadeJson.Side("down", risk.Bids, risk.Map.Forced(PositionSide.Long), risk.Map.Clusters(PositionSide.Long), risk.Down!, shock, settings, risk.Price.Value);
        var up = CascadeJson.Side("up", risk.Asks, risk.Map.Forced(PositionSide.Short), risk.Map.Clusters(PositionSide.Short), risk.Up!, shock, settings, risk.Price.Value);
        var result = new CascadeJson(key.Venue.Name(), key.Symbol, source, risk.AsOf, risk.Price.Value, survival, shock, risk.DepthSource, risk.Map.Parameters, down, up);
        if (parse.GetValue(_args.Json)) await output.WriteLineAsync(JsonSerializer.Serialize(result, RiskJsonContext.Default.CascadeJson));
        else foreach (var line in CascadeLines(result)) await output.WriteLineAsync(line);
        return 0;
    }

    private static IEnumerable<string> ClusterLines(SymbolRisk r, string source)
    {
        yield return $"{r.Key.Venue.Name()} {r.Key.Symbol}  ({source})";
        yield return $"Mark      {RiskText.PriceText(r.Price!.Value)}";
        foreach (var line in RiskText.Ladder(r, [])) yield return line;
        foreach (var side in new[] { PositionSide.Short, PositionSide.Long })
            foreach (var c in r.Map!.Clusters(side).Take(5))
                yield return $"{(side == PositionSide.Long ? "long " : "short")}  {RiskText.PriceText(c.PriceLow)}–{RiskText.PriceText(c.PriceHigh)}  peak {RiskText.PriceText(c.PricePeak)}  {RiskText.Usd(c.CalibratedUsd)}  {c.DistancePct:+0.00%;-0.00%}  age {c.MedianAgeHours:0.#}h";
        yield return $"Map       {RiskText.MapNote(r)}";
    }

    private static IEnumerable<string> CascadeLines(CascadeJson c)
    {
        yield return $"{c.Venue} {c.Symbol}  ({c.Source})";
        yield return $"Mark      {RiskText.PriceText(c.Price)} · W {c.Survival:0.###} · depth: {c.Depth}";
        foreach (var s in new[] { c.Down, c.Up })
        {
            var sign = s.Direction == "down" ? "−" : "+";
            yield return $"{(s.Direction == "down" ? "Downside" : "Upside")}  {s.Label.ToUpperInvariant()} · trigger {(s.TriggerCostUsd is { } t ? RiskText.Usd(t) : "n/a")} · reach {sign}{s.Reach:0.00%} · ×{s.Amplification:0.0}";
            foreach (var b in s.Bands)
                yield return $"  ±{b.Band,-5:0.0%} forced {RiskText.Usd(b.ForcedUsd),7} · book {RiskText.Usd(b.DepthUsd),7} · CRS {b.Coverage:0.000} · CRS* {b.StressedCoverage:0.000}";
            yield return $"  shock {RiskText.Usd(s.ShockUsd)}: {sign}{s.Move:0.00%} · forced {RiskText.Usd(s.ForcedUsd)} · {s.Waves.Count} wave(s){(s.Exhausted ? " · book exhausted" : "")}{(s.Extrapolated ? " · extrapolated" : "")}";
            foreach (var w in s.Waves) yield return $"    {RiskText.Usd(w.FlowUsd),7} → {sign}{w.Reach:0.000%}";
            foreach (var m in s.MinimumShocks.Take(6))
                yield return $"  cluster {RiskText.PriceText(m.Price)} ({RiskText.Usd(m.NotionalUsd)}): minimum shock {(m.ShockUsd is { } q ? RiskText.Usd(q) : "unreachable")}";
        }
        yield return $"Map       {c.Map}";
    }

    private static Task<int> FailAsync(CliStreams streams, string message) => SymbolArguments.FailAsync(streams, message);
}

/// <summary><c>clusters --json</c>.</summary>
internal sealed record ClustersJson(string Venue, string Symbol, string Source, DateTimeOffset AsOf, double Price, string Parameters, bool Calibrated,
    int Bars, double LongWithin2PctUsd, double ShortWithin2PctUsd, IReadOnlyList<ClusterJson> Clusters, string Realized)
{
    public static ClustersJson From(SymbolRisk r, string source)
    {
        var map = r.Map!;
        return new(r.Key.Venue.Name(), r.Key.Symbol, source, r.AsOf, r.Price!.Value, map.Parameters, map.Calibrated, r.MapBars,
            map.NotionalWithin(PositionSide.Long, 0.02), map.NotionalWithin(PositionSide.Short, 0.02),
            [.. new[] { PositionSide.Long, PositionSide.Short }.SelectMany(s => map.Clusters(s)).Select(ClusterJson.From)],
            "not connected: venues publish liquidations on throttled WebSocket streams only");
    }
}

/// <summary>One cluster in <c>clusters --json</c>.</summary>
internal sealed record ClusterJson(string Side, double PriceLow, double PriceHigh, double PricePeak, double NotionalUsd, double CalibratedUsd, double DistancePct, double ShareOfSide, double MedianAgeHours)
{
    public static ClusterJson From(LiquidationCluster c) =>
        new(c.Side == PositionSide.Long ? "long" : "short", c.PriceLow, c.PriceHigh, c.PricePeak, c.NotionalUsd, c.CalibratedUsd, c.DistancePct, c.ShareOfSide, c.MedianAgeHours);
}

/// <summary><c>cascade --json</c>.</summary>
internal sealed record CascadeJson(string Venue, string Symbol, string Source, DateTimeOffset AsOf, double Price, double Survival, double? Shock, string? Depth, string Map, CascadeSideJson Down, CascadeSideJson Up)
{
    /// <summary>
    /// One side: the score, one simulation (with <paramref name="shock"/>, or 1.01 × the trigger cost when none is given)
    /// and the minimum shock that reaches each of the side's clusters (bisection on the near edge).
    /// </summary>
    public static CascadeSideJson Side(string direction, IDepthCurve depth, IReadOnlyList<ForcedLevel> forced, IReadOnlyList<LiquidationCluster> clusters,
        CascadeScore score, double? shock, CascadeSettings settings, double price)
    {
        var q = shock ?? (double.IsFinite(score.TriggerCostUsd) ? score.TriggerCostUsd * 1.01 : 0);
        var run = CascadeSimulator.Run(depth, forced, q, settings);
        var minimum = clusters.Select(c =>
        {
            var edge = direction == "down" ? 1 - c.PriceHigh / price : c.PriceLow / price - 1;
            var m = CascadeSimulator.MinimumShock(depth, forced, Math.Max(0, edge), settings);
            return new MinimumShockJson(c.PricePeak, Math.Max(0, edge), c.CalibratedUsd, double.IsFinite(m) ? m : null);
        }).ToList();
        return new CascadeSideJson(direction, score.Label.ToString().ToLowerInvariant(), score.Bands,
            double.IsFinite(score.TriggerCostUsd) ? score.TriggerCostUsd : null, double.IsFinite(score.TriggerShareOfTakerVolume) ? score.TriggerShareOfTakerVolume : null,
            score.Reach, score.Amplification, q, run.Move, run.ForcedUsd, run.Waves, run.Exhausted, run.Extrapolated, minimum);
    }
}

/// <summary>One side of <c>cascade --json</c>.</summary>
internal sealed record CascadeSideJson(string Direction, string Label, IReadOnlyList<CoverageBand> Bands, double? TriggerCostUsd, double? TriggerShareOfVolume, double Reach, double Amplification,
    double ShockUsd, double Move, double ForcedUsd, IReadOnlyList<CascadeWave> Waves, bool Exhausted, bool Extrapolated, IReadOnlyList<MinimumShockJson> MinimumShocks);

/// <summary>The minimum shock that reaches one cluster.</summary>
internal sealed record MinimumShockJson(double Price, double Distance, double NotionalUsd, double? ShockUsd);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(ClustersJson))]
[JsonSerializable(typeof(CascadeJson))]
internal sealed partial class RiskJsonContext : JsonSerializerContext;
