using System.Globalization;
using PerpGuard.Core.Funding;
using PerpGuard.Core.Liquidation;
using PerpGuard.Core.Margin;
using PerpGuard.Core.Probability;
using PerpGuard.Core.Rounding;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Calculator;

/// <summary>Venue defaults the request may omit. The Bot binds them from configuration (<c>Calculator</c> section).</summary>
public sealed record CalculatorDefaults
{
    /// <summary>Taker fee rates by venue (fraction), used where the venue's formula includes a fee.</summary>
    public double BinanceTakerFee { get; init; } = 0.0005;
    /// <summary>Bybit's non-VIP derivatives taker fee.</summary>
    public double BybitTakerFee { get; init; } = 0.00055;
    /// <summary>Hyperliquid's base-tier taker fee.</summary>
    public double HyperliquidTakerFee { get; init; } = 0.00045;
    /// <summary>OKX's regular-user swap taker fee.</summary>
    public double OkxTakerFee { get; init; } = 0.0005;
    /// <summary>Funding horizon when a rate is given without <c>horizon_hours</c>.</summary>
    public double FundingHorizonHours { get; init; } = 24;

    /// <summary>The taker fee of <paramref name="venue"/>.</summary>
    public double TakerFee(Venue venue) => venue switch
    {
        Venue.Binance => BinanceTakerFee,
        Venue.Bybit => BybitTakerFee,
        Venue.Hyperliquid => HyperliquidTakerFee,
        Venue.Okx => OkxTakerFee,
        _ => throw new ArgumentOutOfRangeException(nameof(venue), venue, "Unknown venue."),
    };
}

/// <summary>
/// Turns a <see cref="CalcRequest"/> into a <see cref="CalcReport"/>: validates every field with a message naming it
/// and a valid example, resolves the venue's tiers, then runs the liquidation, funding and probability math.
/// Never throws for bad input.
/// </summary>
public sealed class RiskCalculator(TierCatalog catalog, CalculatorDefaults defaults)
{
    private const int SymbolCacheLimit = 4_096;

    // Batches repeat a handful of symbol spellings: parse each once (bounded, so hostile input cannot grow it).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Base, string? Quote)> _symbols = new(StringComparer.Ordinal);

    /// <summary>Largest accepted price: far above any listed perpetual, small enough to catch 1e308.</summary>
    public const double MaxPrice = 1e9;
    /// <summary>Largest accepted quantity, margin or balance.</summary>
    public const double MaxAmount = 1e13;
    /// <summary>Largest accepted leverage when no table caps it.</summary>
    public const double MaxLeverage = 1000;

    /// <summary>A calculator over the built-in tables and default fees.</summary>
    public static RiskCalculator Default { get; } = new(TierCatalog.BuiltIn, new CalculatorDefaults());

    /// <summary>Validates and evaluates one request.</summary>
    public CalcOutcome Calculate(CalcRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var error = TryBuild(request, out var terms, out var table, out var settle, out var leverageGiven)
            ?? ValidateOptional(request);
        if (error is not null) return new CalcOutcome(null, error);
        return new CalcOutcome(Evaluate(request, terms, table, settle, leverageGiven), null);
    }

    private InputError? TryBuild(CalcRequest r, out PositionTerms terms, out TierTable? table, out string settle, out bool leverageGiven)
    {
        terms = default; table = null; settle = ""; leverageGiven = r.Leverage is not null;
        if (r.Venue is null) return Missing("venue", "\"bybit\"");
        if (!VenueRules.TryParseVenue(r.Venue, out var venue))
            return new InputError("venue", $"unknown venue '{r.Venue}'; use binance, bybit, hyperliquid or okx", "\"bybit\"");
        if (r.Side is null) return Missing("side", "\"long\"");
        if (!TryParseSide(r.Side, out var side)) return new InputError("side", $"'{r.Side}' is not a side; use long or short", "\"long\"");

        string? quote = null;
        string? baseAsset = null;
        if (r.Symbol is not null)
        {
            if (!TryParseSymbol(r.Symbol, out var b, out quote))
                return new InputError("symbol", $"'{r.Symbol}' is not a symbol", "\"BTCUSDT\"");
            baseAsset = b;
        }

        ContractType contract;
        if (r.Contract is null) contract = SymbolName.QuoteImpliesInverse(quote) ? ContractType.Inverse : ContractType.Linear;
        else if (!TryParseContract(r.Contract, out contract))
            return new InputError("contract", $"'{r.Contract}' is not a contract type; use linear or inverse", "\"linear\"");
        else if (contract == ContractType.Linear && SymbolName.QuoteImpliesInverse(quote))
            return new InputError("contract", $"{r.Symbol} is a coin-margined (inverse) symbol but contract is linear", "\"inverse\"");
        if (contract == ContractType.Inverse && !VenueRules.HasInverse(venue))
            return new InputError("contract", "Hyperliquid lists only linear (USDC) perpetuals", "\"linear\"");

        var mode = MarginMode.Isolated;
        if (r.MarginMode is not null && !TryParseMode(r.MarginMode, out mode))
            return new InputError("margin_mode", $"'{r.MarginMode}' is not a margin mode; use isolated or cross", "\"isolated\"");

        var formula = BybitFormula.AtMark;
        if (r.Formula is not null)
        {
            if (venue != Venue.Bybit) return new InputError("formula", "only Bybit publishes two formulas; leave it out for other venues", "\"at_mark\"");
            if (!TryParseFormula(r.Formula, out formula)) return new InputError("formula", $"'{r.Formula}' is not a Bybit formula; use at_mark or published", "\"at_mark\"");
        }

        var e = Price(r.Entry, "entry", "60000", out var entry);
        if (e is not null) return e;
        e = Positive(r.Qty, "qty", contract == ContractType.Linear ? "0.5" : "100", MaxAmount, out var qty);
        if (e is not null) return e;

        // Maintenance brackets: explicit override, else the built-in table of the symbol.
        MaintenanceSchedule schedule;
        if (r.Mmr is not null || r.MaintenanceAmount is not null)
        {
            if (r.Mmr is null) return new InputError("mmr", "is required when maintenance_amount is given", "0.005");
            e = InRange(r.Mmr, "mmr", "0.005", 0, 1, out var mmr, maxExclusive: true);
            if (e is not null) return e;
            e = InRange(r.MaintenanceAmount ?? 0, "maintenance_amount", "50", 0, MaxAmount, out var amount);
            if (e is not null) return e;
            schedule = MaintenanceSchedule.Fixed(mmr, amount, mmr > 0 ? 1 / mmr : MaxLeverage);
            if (baseAsset is not null) catalog.TryFindBase(venue, contract, baseAsset, out table!);
        }
        else if (r.Symbol is null)
        {
            return new InputError("symbol", "is needed to pick the venue's maintenance tiers (or pass mmr and maintenance_amount)", "\"BTCUSDT\"");
        }
        else if (!catalog.TryFindBase(venue, contract, baseAsset!, out table!))
        {
            return new InputError("symbol", $"no built-in {venue.Name()} {Name(contract)} tiers for {r.Symbol} (built in: {BuiltInBases(venue, contract)}); pass mmr and maintenance_amount to use your own", "\"BTCUSDT\"");
        }
        else
        {
            schedule = MaintenanceSchedule.FromTable(table);
        }

        var contractSize = 1.0;
        if (contract == ContractType.Inverse)
        {
            if (r.ContractSize is null && table?.ContractSize is null)
                return new InputError("contract_size", "is required for an inverse contract without built-in data (quote value of one contract)", "100");
            e = Positive(r.ContractSize ?? table!.ContractSize, "contract_size", "100", 1e6, out contractSize);
            if (e is not null) return e;
        }
        else if (r.ContractSize is not null)
        {
            return new InputError("contract_size", "applies only to inverse contracts; linear qty is in base units", "100");
        }

        // Leverage: needed for the default isolated margin and the initial margin; capped by the entry bracket.
        double leverage = double.NaN;
        if (r.Leverage is null)
        {
            if (mode == MarginMode.Isolated && r.Margin is null) return Missing("leverage", "20");
        }
        else
        {
            e = Positive(r.Leverage, "leverage", "20", MaxLeverage, out leverage);
            if (e is not null) return e;
            var entryTier = schedule.At(contract, qty, contractSize, entry);
            if (leverage > entryTier.MaxLeverage * (1 + 1e-12))
                return new InputError("leverage", r.Mmr is not null
                    ? $"{Num(leverage)}x is above 1/mmr = {Num(entryTier.MaxLeverage)}x: the position would open below maintenance"
                    : $"{Num(leverage)}x is above {venue.Name()} {table!.Symbol}'s maximum of {Num(entryTier.MaxLeverage)}x for this position size", Num(Math.Min(20, Math.Floor(entryTier.MaxLeverage))));
        }

        var takerFee = defaults.TakerFee(venue);
        if (r.TakerFee is not null)
        {
            e = InRange(r.TakerFee, "taker_fee", "0.0005", 0, 0.01, out takerFee);
            if (e is not null) return e;
        }

        double? collateral;
        double otherMm = 0, otherPnl = 0;
        List<HedgeLeg>? legs = null;
        var effectiveLeverage = double.IsNaN(leverage) ? 1 : leverage; // only feeds the default margin, which cross does not use
        if (mode == MarginMode.Isolated)
        {
            if (r.WalletBalance is not null) return new InputError("wallet_balance", "is for cross margin; isolated uses margin (or leverage alone)", "1500");
            if (r.OtherPositions is { Count: > 0 }) return new InputError("other_positions", "only enter in cross margin; add \"margin_mode\": \"cross\"", "[]");
            collateral = null;
            if (r.Margin is not null)
            {
                e = Positive(r.Margin, "margin", "1500", MaxAmount, out var margin);
                if (e is not null) return e;
                collateral = margin;
                if (double.IsNaN(leverage)) effectiveLeverage = MaintenanceSchedule.Notional(contract, qty, contractSize, entry) / margin;
            }
        }
        else
        {
            if (r.Margin is not null) return new InputError("margin", "is for isolated margin; cross uses wallet_balance", "5000");
            if (r.WalletBalance is null) return Missing("wallet_balance", "5000");
            e = Positive(r.WalletBalance, "wallet_balance", "5000", MaxAmount, out var wallet);
            if (e is not null) return e;
            collateral = wallet;
            for (var i = 0; i < (r.OtherPositions?.Count ?? 0); i++)
            {
                e = AddOther(r.OtherPositions![i], i, venue, contract, baseAsset, contractSize, ref otherMm, ref otherPnl, ref legs);
                if (e is not null) return e;
            }
        }

        settle = table?.Settle ?? (contract == ContractType.Linear ? (venue == Venue.Hyperliquid ? "USDC" : "USDT") : baseAsset ?? "coin");
        terms = PositionTerms.Create(venue, contract, mode, side, qty, entry, effectiveLeverage, schedule, collateral, contractSize,
            takerFee, otherMm, otherPnl, formula, legs?.ToArray());

        if (mode == MarginMode.Isolated && LiquidationEngine.Equity(terms, entry) <= LiquidationEngine.Requirement(terms, entry))
            return new InputError("margin", $"{Num(terms.Collateral)} is at or below the maintenance margin at entry ({Num(LiquidationEngine.Requirement(terms, entry))}): the venue would liquidate the position at once", Num(terms.InitialMargin));
        if (LiquidationEngine.LiquidationPrice(terms).Kind == PriceLevelKind.BreachedEverywhere)
            return new InputError("wallet_balance", "with the other positions' losses and maintenance, the account is below maintenance at every price", "5000");
        return null;
    }

    private InputError? AddOther(OtherPositionRequest? o, int index, Venue venue, ContractType contract, string? baseAsset,
        double contractSize, ref double otherMm, ref double otherPnl, ref List<HedgeLeg>? legs)
    {
        var f = $"other_positions[{index}]";
        if (o is null) return new InputError(f, "is empty", "{\"symbol\": \"ETHUSDT\", \"side\": \"long\", \"qty\": 2, \"entry\": 3000, \"mark\": 3100}");
        if (o.Side is null) return Missing($"{f}.side", "\"long\"");
        if (!TryParseSide(o.Side, out var side)) return new InputError($"{f}.side", $"'{o.Side}' is not a side; use long or short", "\"long\"");
        if (o.Symbol is null) return Missing($"{f}.symbol", "\"ETHUSDT\"");
        if (!TryParseSymbol(o.Symbol, out var otherBase, out _)) return new InputError($"{f}.symbol", $"'{o.Symbol}' is not a symbol", "\"ETHUSDT\"");
        var e = Price(o.Entry, $"{f}.entry", "3000", out var entry);
        if (e is not null) return e;
        e = Positive(o.Qty, $"{f}.qty", "2", MaxAmount, out var qty);
        if (e is not null) return e;

        if (baseAsset is not null && otherBase == baseAsset)
        {
            // Same symbol: a hedge-mode leg that moves with the request's own price.
            (legs ??= []).Add(new HedgeLeg(side, qty, entry));
            return null;
        }

        e = Price(o.Mark, $"{f}.mark", "3100", out var mark);
        if (e is not null) return e;
        var size = 1.0;
        if (contract == ContractType.Inverse)
        {
            TierTable? t = null;
            if (o.ContractSize is null && !catalog.TryFindBase(venue, contract, otherBase, out t!))
                return Missing($"{f}.contract_size", "10");
            e = Positive(o.ContractSize ?? t!.ContractSize ?? contractSize, $"{f}.contract_size", "10", 1e6, out size);
            if (e is not null) return e;
        }

        MarginTier tier;
        if (o.Mmr is not null || o.MaintenanceAmount is not null)
        {
            if (o.Mmr is null) return new InputError($"{f}.mmr", "is required when maintenance_amount is given", "0.005");
            e = InRange(o.Mmr, $"{f}.mmr", "0.005", 0, 1, out var mmr, maxExclusive: true);
            if (e is not null) return e;
            e = InRange(o.MaintenanceAmount ?? 0, $"{f}.maintenance_amount", "50", 0, MaxAmount, out var amount);
            if (e is not null) return e;
            tier = new MarginTier(0, double.PositiveInfinity, mmr, amount, double.PositiveInfinity);
        }
        else if (catalog.TryFindBase(venue, contract, otherBase, out var table))
        {
            tier = MaintenanceSchedule.FromTable(table).At(contract, qty, size, mark);
        }
        else
        {
            return new InputError($"{f}.mmr", $"no built-in tiers for {o.Symbol}; give its mmr and maintenance_amount", "0.005");
        }

        var notional = MaintenanceSchedule.Notional(contract, qty, size, mark);
        otherMm += Math.Max(0, notional * tier.MaintenanceRate - tier.MaintenanceAmount);
        otherPnl += contract == ContractType.Linear
            ? (int)side * qty * (mark - entry)
            : (int)side * qty * size * (1 / entry - 1 / mark);
        return null;
    }

    private static InputError? ValidateOptional(CalcRequest r)
    {
        if (r.Mark is not null && Price(r.Mark, "mark", "61000", out _) is { } e1) return e1;
        if (r.FundingRate is not null && InRange(r.FundingRate, "funding_rate", "0.0001", -0.1, 0.1, out _) is { } e2) return e2;
        if (r.FundingIntervalHours is not null && Positive(r.FundingIntervalHours, "funding_interval_hours", "8", 24, out _) is { } e3) return e3;
        if (r.Volatility is not null && Positive(r.Volatility, "volatility", "0.6", 20, out _) is { } e4) return e4;
        if (r.HorizonHours is not null && Positive(r.HorizonHours, "horizon_hours", "24", 87600, out _) is { } e5) return e5;
        if (r.Volatility is not null && r.HorizonHours is null) return Missing("horizon_hours", "24");
        if (r.HorizonHours is not null && r.Volatility is null && r.FundingRate is null) return Missing("volatility", "0.6");
        if (r.FundingIntervalHours is not null && r.FundingRate is null) return Missing("funding_rate", "0.0001");
        return null;
    }

    private CalcReport Evaluate(CalcRequest r, in PositionTerms terms, TierTable? table, string settle, bool leverageGiven)
    {
        var liquidation = LiquidationEngine.LiquidationPrice(terms);
        var mark = r.Mark;
        var reference = mark ?? terms.Entry;
        var tier = LiquidationEngine.TierAt(terms, liquidation.Value ?? terms.Entry);

        double? distance = null, distancePrice = null;
        if (mark is { } m && liquidation.Value is { } liq)
        {
            distancePrice = terms.Sign * (m - liq);
            distance = distancePrice / m;
        }

        FundingProjection? funding = null;
        PriceLevel? afterFunding = null;
        int? intervalsToLiquidation = null;
        if (r.FundingRate is { } rate)
        {
            var interval = r.FundingIntervalHours ?? VenueRules.DefaultFundingIntervalHours(terms.Venue);
            var horizon = r.HorizonHours ?? defaults.FundingHorizonHours;
            var projection = FundingCalculator.Project(terms, reference, rate, interval, horizon);
            funding = projection;
            if (terms.Mode == MarginMode.Isolated)
            {
                afterFunding = FundingCalculator.LiquidationAfter(terms, projection.PerInterval, (int)Math.Floor(horizon / interval));
                intervalsToLiquidation = FundingCalculator.IntervalsUntilLiquidation(terms, reference, projection.PerInterval);
            }
        }

        double? pHit = null, pHitBars = null;
        if (r.Volatility is { } vol && r.HorizonHours is { } hours)
        {
            var years = HitProbability.Years(hours);
            if (liquidation.Value is not { } l) pHit = 0;
            else if (terms.Sign * (reference - l) <= 0) pHit = 1;
            else
            {
                pHit = HitProbability.Continuous(reference, l, vol, years);
                if (hours > 1) pHitBars = HitProbability.Discrete(reference, l, vol, years, HitProbability.Years(1));
            }
        }

        return new CalcReport
        {
            Id = r.Id,
            Terms = terms,
            Symbol = table?.Symbol ?? r.Symbol?.Trim().ToUpperInvariant(),
            Table = terms.Maintenance.Table,
            Tier = tier,
            Settle = settle,
            Tick = table is null ? default : TickSize.Of(table.TickSize),
            Liquidation = liquidation,
            Bankruptcy = LiquidationEngine.BankruptcyPrice(terms),
            MaintenanceMargin = LiquidationEngine.MaintenanceMargin(terms, reference),
            InitialMargin = leverageGiven || terms.Mode == MarginMode.Isolated ? terms.InitialMargin : null,
            Mark = mark,
            MarginRatio = mark is { } mk ? LiquidationEngine.MarginRatio(terms, mk) : null,
            Distance = distance,
            DistancePrice = distancePrice,
            Funding = funding,
            LiquidationAfterFunding = afterFunding,
            IntervalsToLiquidationByFunding = intervalsToLiquidation,
            Volatility = r.Volatility,
            HorizonHours = r.HorizonHours,
            HitProbability = pHit,
            HitProbabilityHourlyBars = pHitBars,
        };
    }

    private bool TryParseSymbol(string text, out string baseAsset, out string? quote)
    {
        if (_symbols.TryGetValue(text, out var parsed))
        {
            (baseAsset, quote) = parsed;
            return true;
        }
        if (!SymbolName.TryParse(text, out baseAsset, out quote)) return false;
        if (_symbols.Count < SymbolCacheLimit) _symbols.TryAdd(text, (baseAsset, quote));
        return true;
    }

    private string BuiltInBases(Venue venue, ContractType contract) =>
        string.Join(", ", catalog.Tables.Where(t => t.Venue == venue && t.Contract == contract).Select(t => t.Symbol).Order(StringComparer.Ordinal));

    /// <summary>Parses <c>long</c>/<c>short</c> and the forms traders type (<c>buy</c>, <c>sell</c>, <c>l</c>, <c>s</c>).</summary>
    public static bool TryParseSide(string? text, out PositionSide side)
    {
        var t = text.AsSpan().Trim();
        if (VenueRules.Is(t, "long") || VenueRules.Is(t, "l") || VenueRules.Is(t, "buy")) side = PositionSide.Long;
        else if (VenueRules.Is(t, "short") || VenueRules.Is(t, "s") || VenueRules.Is(t, "sell")) side = PositionSide.Short;
        else { side = default; return false; }
        return true;
    }

    /// <summary>Parses <c>linear</c>/<c>inverse</c> (also <c>usdm</c>, <c>coinm</c>).</summary>
    public static bool TryParseContract(string? text, out ContractType contract)
    {
        var t = text.AsSpan().Trim();
        if (VenueRules.Is(t, "linear") || VenueRules.Is(t, "usdm") || VenueRules.Is(t, "usdt") || VenueRules.Is(t, "usdc")) contract = ContractType.Linear;
        else if (VenueRules.Is(t, "inverse") || VenueRules.Is(t, "coinm") || VenueRules.Is(t, "coin")) contract = ContractType.Inverse;
        else { contract = default; return false; }
        return true;
    }

    /// <summary>Parses <c>isolated</c>/<c>cross</c>.</summary>
    public static bool TryParseMode(string? text, out MarginMode mode)
    {
        var t = text.AsSpan().Trim();
        if (VenueRules.Is(t, "isolated") || VenueRules.Is(t, "iso")) mode = MarginMode.Isolated;
        else if (VenueRules.Is(t, "cross") || VenueRules.Is(t, "crossed")) mode = MarginMode.Cross;
        else { mode = default; return false; }
        return true;
    }

    private static bool TryParseFormula(string text, out BybitFormula formula)
    {
        var t = text.AsSpan().Trim();
        if (VenueRules.Is(t, "at_mark") || VenueRules.Is(t, "mark")) formula = BybitFormula.AtMark;
        else if (VenueRules.Is(t, "published") || VenueRules.Is(t, "at_entry") || VenueRules.Is(t, "entry")) formula = BybitFormula.PublishedAtEntry;
        else { formula = default; return false; }
        return true;
    }

    private static string Name(ContractType c) => c == ContractType.Linear ? "linear" : "inverse";

    private static InputError Missing(string field, string example) => new(field, "is required", example);

    private static InputError? Price(double? value, string field, string example, out double result) =>
        Positive(value, field, example, MaxPrice, out result);

    private static InputError? Positive(double? value, string field, string example, double max, out double result)
    {
        result = 0;
        if (value is not { } v) return Missing(field, example);
        if (!double.IsFinite(v)) return new InputError(field, $"must be a finite number (got {Num(v)})", example);
        if (v <= 0) return new InputError(field, $"must be greater than 0 (got {Num(v)})", example);
        if (v > max) return new InputError(field, $"must be at most {Num(max)} (got {Num(v)})", example);
        result = v;
        return null;
    }

    private static InputError? InRange(double? value, string field, string example, double min, double max, out double result, bool maxExclusive = false)
    {
        result = 0;
        if (value is not { } v) return Missing(field, example);
        if (!double.IsFinite(v)) return new InputError(field, $"must be a finite number (got {Num(v)})", example);
        if (v < min || v > max || maxExclusive && v == max)
            return new InputError(field, $"must be between {Num(min)} and {Num(max)}{(maxExclusive ? " (exclusive)" : "")} (got {Num(v)})", example);
        result = v;
        return null;
    }

    private static string Num(double v) => v.ToString("G6", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal);
}
