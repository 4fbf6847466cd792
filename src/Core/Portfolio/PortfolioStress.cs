using PerpGuard.Core.Liquidation;
using PerpGuard.Core.Venues;

namespace PerpGuard.Core.Portfolio;

/// <summary>
/// Deterministic shocks ("BTC −10%") applied to a whole portfolio: which positions are liquidated, in which order, at
/// which move, and what the trader loses. Isolated positions are liquidated where their mark crosses
/// <see cref="LiquidationEngine.LiquidationPrice"/>; the cross account when
/// <c>CrossWallet + Σ uPnL_i(p_i) ≤ Σ MM_i(p_i)</c> over its positions, each at its own shocked price with the tier of
/// its notional there. An account liquidation takes every cross position with it (one position's loss eats the margin
/// the others share); an isolated liquidation never touches the account.
/// </summary>
public static class PortfolioStress
{
    /// <summary>Upward searches stop at +1000% (a price of 11 × mark).</summary>
    public const double UpwardLimit = 10;

    /// <summary>
    /// Grid points scanned before bisecting the account's kill scale. The account condition is monotone in the scale
    /// for one-directional books; with hedges on assets that move by different amounts, equity can dip and recover,
    /// and the scan finds the first crossing unless the dip is narrower than 1/64 of the search range.
    /// </summary>
    public const int AccountScanPoints = 64;

    private const int BisectionSteps = 200;

    /// <summary>Applies one scenario.</summary>
    /// <exception cref="ArgumentException">A position is invalid (named), ids repeat, or a cross position is not linear.</exception>
    public static StressResult Run(Portfolio portfolio, Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return new Book(portfolio).Run(scenario);
    }

    /// <summary>Applies each scenario to the same portfolio (validated and prepared once).</summary>
    /// <exception cref="ArgumentException">As for <see cref="Run"/>.</exception>
    public static StressResult[] Grid(Portfolio portfolio, IReadOnlyList<Scenario> scenarios)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        var book = new Book(portfolio);
        var results = new StressResult[scenarios.Count];
        for (var i = 0; i < results.Length; i++)
        {
            var scenario = scenarios[i] ?? throw new ArgumentException($"Scenario {i} is null.", nameof(scenarios));
            results[i] = book.Run(scenario);
        }
        return results;
    }

    /// <summary>The portfolio validated, with each isolated liquidation price solved once.</summary>
    private sealed class Book
    {
        private readonly PortfolioPosition[] _positions;
        private readonly PriceLevel[] _levels;
        private readonly int[] _cross;
        private readonly double _wallet;

        public Book(Portfolio portfolio)
        {
            _positions = PortfolioValidation.Validate(portfolio);
            _wallet = portfolio.CrossWallet;
            _levels = new PriceLevel[_positions.Length];
            var cross = new List<int>();
            for (var i = 0; i < _positions.Length; i++)
            {
                if (_positions[i].Terms.Mode == MarginMode.Cross) cross.Add(i);
                else _levels[i] = LiquidationEngine.LiquidationPrice(_positions[i].Terms);
            }
            _cross = [.. cross];
        }

        public StressResult Run(Scenario scenario)
        {
            var n = _positions.Length;
            var kill = new double?[n];
            var liquidated = new bool[n];
            var prices = new double[n];
            for (var i = 0; i < n; i++) prices[i] = Price(scenario, i, 1);

            double? accountKill = null;
            var accountLiquidated = false;
            if (_cross.Length > 0)
            {
                accountKill = AccountKillScale(scenario);
                accountLiquidated = accountKill <= 1 || AccountBreached(scenario, 1);
            }
            for (var i = 0; i < n; i++)
            {
                if (_positions[i].Terms.Mode == MarginMode.Cross) { kill[i] = accountKill; liquidated[i] = accountLiquidated; continue; }
                kill[i] = IsolatedKillScale(scenario, i);
                liquidated[i] = Crossed(i, prices[i]);
            }

            var order = DenseOrder(kill, liquidated);
            var rows = new PositionStress[n];
            var net = 0.0;
            var crossPnl = 0.0;
            for (var i = 0; i < n; i++)
            {
                var p = _positions[i];
                var price = prices[i];
                var pnl = PnlUsd(p.Terms, price);
                double loss;
                if (p.Terms.Mode == MarginMode.Cross)
                {
                    crossPnl += pnl;
                    loss = Math.Min(Math.Max(0, -pnl), _wallet);
                }
                else
                {
                    var collateral = CollateralUsd(p.Terms, price);
                    loss = liquidated[i] ? collateral : Math.Min(Math.Max(0, -pnl), collateral);
                    net += liquidated[i] ? -collateral : pnl;
                }
                rows[i] = new PositionStress(p.Id, p.Asset, price, liquidated[i], pnl, loss,
                    kill[i] is { } s ? scenario.Driver(s) : null, order[i]);
            }
            if (_cross.Length > 0) net += accountLiquidated ? -_wallet : crossPnl;

            double? first = null;
            foreach (var s in kill) if (s is { } v && (first is null || v < first)) first = v;
            return new StressResult(scenario, rows, Math.Max(0, -net), accountLiquidated,
                accountKill is { } a ? scenario.Driver(a) : null, first is { } f ? scenario.Driver(f) : null);
        }

        /// <summary>Mark moved by the scenario at <paramref name="scale"/>, clamped to [0, 11 × mark].</summary>
        private double Price(Scenario scenario, int i, double scale)
        {
            var p = _positions[i];
            var move = scenario.MoveOf(p, scale);
            if (double.IsNaN(move)) throw new ArgumentException($"Scenario '{scenario.Label}' gives no move for position '{p.Id}'.", nameof(scenario));
            return p.Mark * Math.Clamp(1 + move, 0, 1 + UpwardLimit);
        }

        /// <summary>
        /// The scale at which position <paramref name="i"/>'s price reaches 0 (falling) or +1000% (rising): beyond
        /// it the clamped price no longer changes, so searches stop there. Null when the scenario does not move it.
        /// </summary>
        private double? Reach(Scenario scenario, int i)
        {
            var m1 = scenario.MoveOf(_positions[i], 1);
            if (m1 < 0) return 1 / -m1;
            if (m1 > 0) return UpwardLimit / m1;
            return null;
        }

        private bool Crossed(int i, double price)
        {
            var level = _levels[i];
            return level.Kind switch
            {
                PriceLevelKind.AtPrice => _positions[i].Terms.Side == PositionSide.Long ? price <= level.RawValue : price >= level.RawValue,
                PriceLevelKind.BreachedEverywhere => true,
                _ => false,
            };
        }

        private double? IsolatedKillScale(Scenario scenario, int i)
        {
            if (Crossed(i, Price(scenario, i, 0))) return 0;
            if (Reach(scenario, i) is not { } reach || !Crossed(i, Price(scenario, i, reach))) return null;
            return Bisect(0, reach, s => Crossed(i, Price(scenario, i, s)));
        }

        private bool AccountBreached(Scenario scenario, double scale)
        {
            var equity = _wallet;
            var requirement = 0.0;
            foreach (var i in _cross)
            {
                var terms = _positions[i].Terms;
                var price = Price(scenario, i, scale);
                equity += LiquidationEngine.UnrealizedPnl(terms, price);
                requirement += LiquidationEngine.MaintenanceMargin(terms, price);
            }
            return equity <= requirement;
        }

        /// <summary>First scale at which the account is breached: a scan of <see cref="AccountScanPoints"/> points, then bisection.</summary>
        private double? AccountKillScale(Scenario scenario)
        {
            if (AccountBreached(scenario, 0)) return 0;
            var range = 0.0;
            foreach (var i in _cross) if (Reach(scenario, i) is { } r) range = Math.Max(range, r);
            if (range == 0) return null;
            var previous = 0.0;
            for (var k = 1; k <= AccountScanPoints; k++)
            {
                var s = range * k / AccountScanPoints;
                if (AccountBreached(scenario, s)) return Bisect(previous, s, x => AccountBreached(scenario, x));
                previous = s;
            }
            return null;
        }

        /// <summary>Smallest scale in (lo, hi] where <paramref name="breached"/> holds, given it fails at lo and holds at hi.</summary>
        private static double Bisect(double lo, double hi, Func<double, bool> breached)
        {
            for (var k = 0; k < BisectionSteps && hi - lo > 1e-15 * hi; k++)
            {
                var mid = 0.5 * (lo + hi);
                if (breached(mid)) hi = mid; else lo = mid;
            }
            return hi;
        }

        private static int?[] DenseOrder(double?[] kill, bool[] liquidated)
        {
            var distinct = new SortedSet<double>();
            for (var i = 0; i < kill.Length; i++) if (liquidated[i] && kill[i] is { } s) distinct.Add(s);
            var ranks = distinct.ToArray();
            var order = new int?[kill.Length];
            for (var i = 0; i < kill.Length; i++)
                if (liquidated[i] && kill[i] is { } s) order[i] = Array.BinarySearch(ranks, s) + 1;
            return order;
        }
    }

    /// <summary>USD PnL at <paramref name="price"/>: linear as the engine computes it; inverse <c>s·Q·CS·(p/E − 1)</c>, the coin PnL × p.</summary>
    public static double PnlUsd(in PositionTerms terms, double price) =>
        terms.Contract == ContractType.Linear
            ? LiquidationEngine.UnrealizedPnl(terms, price)
            : terms.Sign * terms.Quantity * terms.ContractSize * (price / terms.Entry - 1);

    /// <summary>Isolated collateral in USD at <paramref name="price"/> (inverse collateral is coin).</summary>
    internal static double CollateralUsd(in PositionTerms terms, double price) =>
        terms.Contract == ContractType.Linear ? terms.Collateral : terms.Collateral * price;
}

/// <summary>Checks shared by stress and Monte Carlo, with messages that name the position.</summary>
internal static class PortfolioValidation
{
    public static PortfolioPosition[] Validate(Portfolio portfolio)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        ArgumentNullException.ThrowIfNull(portfolio.Positions, nameof(portfolio));
        var positions = portfolio.Positions.ToArray();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var anyCross = false;
        for (var i = 0; i < positions.Length; i++)
        {
            var p = positions[i] ?? throw new ArgumentException($"Position {i} is null.", nameof(portfolio));
            if (string.IsNullOrWhiteSpace(p.Id)) throw new ArgumentException($"Position {i} has no id.", nameof(portfolio));
            if (!ids.Add(p.Id)) throw new ArgumentException($"Position id '{p.Id}' appears twice.", nameof(portfolio));
            if (string.IsNullOrWhiteSpace(p.Asset)) throw new ArgumentException($"Position '{p.Id}' has no asset.", nameof(portfolio));
            if (!(p.Mark > 0) || !double.IsFinite(p.Mark)) throw new ArgumentException($"Position '{p.Id}': mark must be a finite price above zero.", nameof(portfolio));
            if (!double.IsFinite(p.Beta)) throw new ArgumentException($"Position '{p.Id}': beta must be finite.", nameof(portfolio));
            if (p.Terms.Mode != MarginMode.Cross) continue;
            anyCross = true;
            if (p.Terms.Contract != ContractType.Linear)
                throw new ArgumentException($"Position '{p.Id}': an inverse position can only be isolated here; the cross account is linear (USDT-settled).", nameof(portfolio));
            if (p.Terms.OtherMaintenance != 0 || p.Terms.OtherUnrealizedPnl != 0)
                throw new ArgumentException($"Position '{p.Id}': other positions' maintenance and PnL come from the portfolio; leave them at 0 in its terms.", nameof(portfolio));
        }
        if (anyCross && (!(portfolio.CrossWallet >= 0) || !double.IsFinite(portfolio.CrossWallet)))
            throw new ArgumentException("The cross wallet must be finite and not negative.", nameof(portfolio));
        return positions;
    }
}
